"""Console lines cannot be forged through the values they carry, and they also reach a
syslog server when one is configured."""

from __future__ import annotations

import logging
import logging.config
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from boundaries.core.logs import CONTINUATION

ROOT = Path(__file__).resolve().parents[2]
FORGED = "2026-01-01T00:00:00.000Z INFO boundaries.security - signed in user=1"


def _lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().err.splitlines()


def test_a_line_break_in_a_value_cannot_start_a_line_of_its_own(
    capsys: pytest.CaptureFixture[str],
) -> None:
    logging.config.dictConfig(settings.LOGGING)
    typed = f"mallory\r\n{FORGED}\u2028\x1b[2J\x85"
    logging.getLogger("boundaries.tests").warning("sign-in refused for %s", typed)
    lines = _lines(capsys)
    assert len(lines) == 1, lines
    assert lines[0].endswith("sign-in refused for mallory\\r\\n" + FORGED + "\\u2028\\x1b[2J\\x85")


def test_the_escapes_cannot_be_confused_with_what_was_written(
    capsys: pytest.CaptureFixture[str],
) -> None:
    logging.config.dictConfig(settings.LOGGING)
    logging.getLogger("boundaries.tests").warning("%s|%s", "a\\nb", "a\nb")
    (line,) = _lines(capsys)
    assert line.endswith(" a\\\\nb|a\\nb")


def test_a_traceback_stays_readable_and_its_lines_are_marked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    logging.config.dictConfig(settings.LOGGING)
    try:
        raise ValueError(f"bad value\n{FORGED}")
    except ValueError:
        logging.getLogger("boundaries.tests").exception("the import failed")
    first, *rest = _lines(capsys)
    assert first.endswith(" ERROR boundaries.tests - the import failed")
    assert rest[0] == CONTINUATION + "Traceback (most recent call last):"
    assert all(line.startswith(CONTINUATION) for line in rest), rest
    assert rest[-2:] == [CONTINUATION + "ValueError: bad value", CONTINUATION + FORGED]


def test_a_syslog_address_receives_the_same_lines(tmp_path: Path) -> None:
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(30)
    port = receiver.getsockname()[1]
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('boundaries.tests').warning('to syslog: %s', 'a\\nb')"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "boundaries.settings",
        "BOUNDARIES_ENV": "test",
        "LOG_SYSLOG_ADDRESS": f"127.0.0.1:{port}",
    }
    with receiver:
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        received = receiver.recv(65536).decode()
    assert received.startswith("<12>")  # user facility, warning
    assert received.rstrip("\x00").endswith(" WARNING boundaries.tests - to syslog: a\\nb")
    assert "to syslog: a\\nb" in done.stderr  # and still on the console


def test_the_syslog_destination_is_documented_where_the_logs_are_listed() -> None:
    from tests.test_security_doc import section

    logging_section = section("Logging")
    assert "`LOG_SYSLOG_ADDRESS`" in logging_section and "`syslog`" in logging_section
    assert "`LOG_SYSLOG_ADDRESS`" in (ROOT / "docs" / "configuration.md").read_text()


def test_a_malformed_syslog_address_stops_start_up() -> None:
    env = {**os.environ, "BOUNDARIES_ENV": "test", "LOG_SYSLOG_ADDRESS": "loghost"}
    done = subprocess.run(
        [sys.executable, "-c", "import boundaries.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "LOG_SYSLOG_ADDRESS must be host:port or a socket path" in done.stderr
