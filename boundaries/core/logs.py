"""Log output for the console."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from typing import TextIO


class CurrentStderr(logging.StreamHandler[TextIO]):
    """Writes to whatever `sys.stderr` is when a record is emitted.

    Django configures logging again at every `django.setup()`, and a command run inside a
    test runner does so while standard error is a temporary stream that is closed
    afterwards; a handler that kept that stream would fail on every later record (from the
    test SMTP server's thread, for one).
    """

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


class UtcLineFormatter(logging.Formatter):
    """`2026-07-01T12:00:00.000Z WARNING boundaries.concerns Message`: when (UTC, whatever
    the process's time zone), how serious, where from, and what."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        moment = dt.datetime.fromtimestamp(record.created, tz=dt.UTC)
        return moment.isoformat(timespec="milliseconds").removesuffix("+00:00") + "Z"
