"""`boundaries security rotate-key`: seal stored secrets again under a new key."""

from __future__ import annotations

import typer

app = typer.Typer(help="Sign-in security: the key that seals stored secrets.", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="security")


@app.command("rotate-key")
def rotate_key(
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Check every secret opens and count; change nothing."
    ),
) -> None:
    """Seal every authenticator and sign-in provider secret again under FIELD_ENCRYPTION_KEY.

    Rotate by setting FIELD_ENCRYPTION_KEY to a new key and FIELD_ENCRYPTION_OLD_KEYS to the
    old one, restarting, and running this; then the old key can be removed.
    """
    from boundaries.cli import django_setup
    from boundaries.cli.errors import CliError

    django_setup()
    from boundaries.security.actions import reseal_secrets
    from boundaries.security.encryption import EncryptionKeyError

    try:
        report = reseal_secrets(dry_run=dry_run)
    except EncryptionKeyError as error:
        raise CliError(f"{error} Nothing was changed.") from None
    verb = "would be sealed again" if dry_run else "sealed again"
    typer.echo(
        f"{report.resealed} secrets {verb} under key {report.key_id}; "
        f"{report.already_current} already were."
    )
    if not report.resealed or not dry_run:
        typer.echo("No secret needs the old keys: FIELD_ENCRYPTION_OLD_KEYS can be emptied.")
