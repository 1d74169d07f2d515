"""Log output for the console (and a syslog server when LOG_SYSLOG_ADDRESS names one).

A line is `time level logger request message`. The request is the identifier of the
request the line was written for (`-` outside one; security/request_log.py sets it). The
message is one line whatever it holds: backslashes and control characters, line breaks
included, are written as escapes (`\\`, `\n`, `\x1b`), so a value cannot start a line
of its own. A traceback follows on lines of its own, each starting with `  | ` (and
escaped likewise), which no record's first line does.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import re
import sys
from typing import TextIO

from boundaries.core import socket_addresses

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
CONTINUATION = "  | "

_CONTROL = re.compile(r"[\\\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(found: re.Match[str]) -> str:
    char = found.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def encoded(text: str) -> str:
    """`text` on one line, with nothing lost: every backslash and control character escaped."""
    return _CONTROL.sub(_escape, text)


class RequestIdFilter(logging.Filter):
    """Stamps each record with the identifier of the request it was written for."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


def syslog_address(value: str) -> str | tuple[str, int]:
    """LOG_SYSLOG_ADDRESS as SysLogHandler takes it: a socket path, or host:port for UDP."""
    address = socket_addresses.parse(value)
    if address is None:
        raise ValueError(f"LOG_SYSLOG_ADDRESS must be host:port or a socket path, not {value!r}")
    return address


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
    """`2026-07-01T12:00:00.000Z WARNING boundaries.concerns 3f2a9c0d1b7e4a55 Message`: when
    (UTC, whatever the process's time zone), how serious, where from, for which request,
    and what; the message escaped onto one line, a traceback on marked lines below it."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            defaults={"request_id": "-"},
        )

    def format(self, record: logging.LogRecord) -> str:
        record.message = encoded(record.getMessage())
        record.asctime = self.formatTime(record)
        line = self.formatMessage(record)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        for block in (record.exc_text, record.stack_info and self.formatStack(record.stack_info)):
            for part in (block or "").splitlines():
                line += "\n" + CONTINUATION + encoded(part)
        return line

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        moment = dt.datetime.fromtimestamp(record.created, tz=dt.UTC)
        return moment.isoformat(timespec="milliseconds").removesuffix("+00:00") + "Z"
