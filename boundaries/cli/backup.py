"""`boundaries backup DEST` and `boundaries restore SRC`: the database (with the audit
chain) and uploaded files, in one archive checked by checksums."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)


def backup(
    dest: Path = typer.Argument(..., help="The archive to write (.tar.gz); must not exist."),
) -> None:
    """Back up the database and uploaded files into one archive."""
    from boundaries.cli import django_setup
    from boundaries.cli.errors import CliError

    django_setup()
    from boundaries.security import backups

    try:
        summary = backups.backup(dest)
    except backups.BackupError as error:
        raise CliError(str(error)) from None
    chain = "intact" if summary.audit_intact else "BROKEN (see boundaries audit verify)"
    typer.echo(
        f"Backed up the {summary.database} database ({summary.audit_events} audit events, "
        f"chain {chain}) and {summary.files} uploaded files to {summary.path}"
    )


def restore(
    src: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="An archive from `boundaries backup`."
    ),
    yes: bool = typer.Option(False, "--yes", help="Replace the current data without asking."),
) -> None:
    """Replace the database and uploaded files with a backup's (checked first)."""
    from boundaries.cli import django_setup
    from boundaries.cli.errors import CliError

    django_setup()
    from boundaries.security import backups

    try:
        manifest = backups.read_manifest(src)
    except backups.BackupError as error:
        raise CliError(str(error)) from None
    if not yes and not typer.confirm(
        f"Replace ALL current data with the backup taken {manifest['created_at']}?"
    ):
        raise CliError("nothing restored")
    try:
        summary = backups.restore(src)
    except backups.BackupError as error:
        raise CliError(str(error)) from None
    typer.echo(f"Restored the {summary.database} database and {summary.files} uploaded files.")
    if summary.previous_uploads:
        typer.echo(f"The uploads it replaced are kept in {summary.previous_uploads}")
    typer.echo(f"Audit chain: {summary.audit}")
    if summary.secrets_open:
        typer.echo(f"Sealed secrets: {summary.secrets}")
    if not summary.audit.intact or not summary.head_matches:
        raise CliError("the restored audit chain does not match the backup's record")
    if not summary.secrets_open:
        raise CliError(f"restored, but the sealed secrets do not open. {summary.secrets}")
