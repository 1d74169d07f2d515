"""`boundaries demo`."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo() -> None:
    """Create the invented demo authority, schools, staff and policies (idempotent)."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from boundaries.cli import django_setup

    django_setup()
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
