"""`boundaries security rotate-key`: seal stored secrets again under a new key.
`boundaries security sign-out-everyone`: end every session, keeping the accounts."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Sign-in security: the key that seals stored secrets, and everyone's sessions.",
    no_args_is_help=True,
)


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


@app.command("sign-out-everyone")
def sign_out_everyone(
    yes: bool = typer.Option(False, "--yes", help="Do it: without this, only say what it does."),
) -> None:
    """Sign everyone out of every session at once, keeping every account (after a suspected
    break-in). Audited; people sign in again as usual."""
    from boundaries.cli import django_setup

    django_setup()
    from boundaries.security.actions import end_all_sessions
    from boundaries.security.models import LiveSession

    if not yes:
        count = LiveSession.objects.count()
        typer.echo(f"{count} sessions would end. Run again with --yes to sign everyone out.")
        return
    typer.echo(f"{end_all_sessions()} sessions ended: everyone must sign in again.")
