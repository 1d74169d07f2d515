"""`boundaries manage ...`: Django's management commands, for administrators."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    app.command(
        "manage",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
        add_help_option=False,
    )(manage)


def manage(ctx: typer.Context) -> None:
    """Run a Django management command, for example `boundaries manage check --deploy`."""
    from django.core.management import execute_from_command_line

    from boundaries.cli import django_setup

    django_setup()
    execute_from_command_line(["boundaries manage", *ctx.args])
