"""Log records reach standard error even after a command ran with it redirected, one line
each with the UTC time, level, logger and message."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import logging.config
import re

import pytest
from django.conf import settings


def test_records_go_to_the_standard_error_of_the_moment(
    capsys: pytest.CaptureFixture[str],
) -> None:
    temporary = io.StringIO()
    with contextlib.redirect_stderr(temporary):  # as a test runner does around a command
        logging.config.dictConfig(settings.LOGGING)  # as django.setup() does
    temporary.close()
    logging.getLogger("boundaries.tests").warning("after the command's stream closed")
    err = capsys.readouterr().err
    assert "after the command's stream closed" in err
    assert "Logging error" not in err


def test_each_line_says_when_in_utc_how_serious_where_from_and_what(
    capsys: pytest.CaptureFixture[str],
) -> None:
    logging.config.dictConfig(settings.LOGGING)  # as django.setup() does
    # A summer moment, when the configured zone (Europe/London) is an hour ahead of UTC.
    moment = dt.datetime(2026, 7, 1, 12, 0, 0, 250_000, tzinfo=dt.UTC)
    record = logging.makeLogRecord(
        {
            "name": "boundaries.concerns",
            "levelno": logging.WARNING,
            "levelname": "WARNING",
            "msg": "sealed with key %s, which is not configured",
            "args": ("3f2a",),
            "created": moment.timestamp(),
        }
    )
    logging.getLogger("boundaries.concerns").handle(record)
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "2026-07-01T12:00:00.250Z WARNING boundaries.concerns - "
        "sealed with key 3f2a, which is not configured"
    ]


def test_a_record_logged_now_carries_the_current_utc_time(
    capsys: pytest.CaptureFixture[str],
) -> None:
    logging.config.dictConfig(settings.LOGGING)
    before = dt.datetime.now(dt.UTC)
    logging.getLogger("boundaries.tests").error("something failed")
    line = capsys.readouterr().err.strip()
    match = re.fullmatch(r"(\S+Z) ERROR boundaries\.tests - something failed", line)
    assert match, line
    stamp = dt.datetime.fromisoformat(match[1])
    assert before - dt.timedelta(seconds=1) <= stamp <= dt.datetime.now(dt.UTC)
