"""`--today`, shared by the timer commands: the date to run as, for tests and catch-up runs."""

from __future__ import annotations

import datetime as dt

import typer

TODAY = typer.Option("", help="Pretend today is this date (YYYY-MM-DD).")


def today_from(text: str) -> dt.date:
    """The date `--today` names, or the local date when it is empty. Call after Django is
    set up (the local date needs the time zone setting)."""
    from django.utils import timezone

    from boundaries.cli.errors import CliError

    try:
        return dt.date.fromisoformat(text) if text else timezone.localdate()
    except ValueError:
        raise CliError(f"--today must be a date like 2026-11-24, not {text!r}") from None
