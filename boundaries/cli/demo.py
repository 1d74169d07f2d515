"""`boundaries demo`."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    i_know_this_is_production: bool = typer.Option(
        False,
        "--i-know-this-is-production",
        help="Run even though BOUNDARIES_ENV is production (the demo accounts share a "
        "published password).",
    ),
) -> None:
    """Create the invented demo authority, schools, staff and policies (idempotent)."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from boundaries.cli import django_setup
    from boundaries.cli.errors import CliError

    django_setup()
    from django.conf import settings

    if settings.PRODUCTION and not i_know_this_is_production:
        raise CliError(
            "BOUNDARIES_ENV is production: the demo adds invented people whose accounts "
            "share a published password, so it does not run here (add "
            "--i-know-this-is-production if you really mean it)"
        )
    from boundaries import demo as demo_data

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True) as progress:
        task = progress.add_task("Building the demo")
        made = demo_data.build(lambda step: progress.update(task, description=f"Demo: {step}"))
    if any(made.values()):
        typer.echo(
            "Demo created: " + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in made.items())
        )
    else:
        typer.echo("The demo is already loaded; nothing to do.")
