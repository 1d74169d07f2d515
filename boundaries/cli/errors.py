"""Turn the errors people cause into one clear line and a non-zero exit."""

from __future__ import annotations

import sys

import typer


class CliError(Exception):
    """An error whose message is complete for the person at the terminal."""


def first_line(error: BaseException) -> str:
    """The gist of a driver's message: PostgreSQL's add tab-indented hint lines."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0].strip()


def run_cli(app: typer.Typer) -> int:
    """Run the app; usage errors are Typer's, ours and the database's become one line."""
    try:
        app()
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except CliError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except Exception as error:
        from django.core.exceptions import ImproperlyConfigured
        from django.db import DatabaseError

        if isinstance(error, ImproperlyConfigured | DatabaseError):
            print(f"error: {first_line(error)}", file=sys.stderr)
            return 1
        raise
    return 0
