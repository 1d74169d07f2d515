"""The one `boundaries` command. Django is set up only by the commands that need it, so
`boundaries screen` and `boundaries weblogs analyse` run with no database at all."""

from __future__ import annotations

import importlib
import os
import sys

import typer

from boundaries.cli.errors import run_cli

app = typer.Typer(
    help="Boundaries: a school's staff social media policy that runs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boundaries.settings")
    import django

    django.setup()


def _register_commands() -> None:
    """Every module in boundaries/cli with a `register(app)` function adds its commands."""
    import pkgutil

    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name in {"errors", "screen", "weblogs", "__main__"}:
            continue
        module = importlib.import_module(f"boundaries.cli.{info.name}")
        if hasattr(module, "register"):
            module.register(app)


_register_commands()

for module_name, command in (("screen", "screen"), ("weblogs", None)):
    try:
        module = importlib.import_module(f"boundaries.cli.{module_name}")
    except ModuleNotFoundError as error:
        if error.name != f"boundaries.cli.{module_name}":
            raise
        continue
    if command and hasattr(module, command):
        app.command(command)(getattr(module, command))
    elif hasattr(module, "app"):
        app.add_typer(module.app, name=module_name)


def main() -> None:
    sys.exit(run_cli(app))
