"""`boundaries declarations remind`: yearly re-confirmation reminders, run by a timer."""

from __future__ import annotations

import typer

from boundaries.cli.today import TODAY, today_from

app = typer.Typer(
    help="Declared connections with parents, carers and pupils.", no_args_is_help=True
)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="declarations")


@app.command("remind")
def remind(today: str = TODAY) -> None:
    """Email staff whose declarations are due for their yearly re-confirmation (once each)."""
    from boundaries.cli import django_setup

    django_setup()
    from boundaries.declarations.reconfirmation import send_reconfirmation_reminders

    typer.echo(send_reconfirmation_reminders(today_from(today)).line())
