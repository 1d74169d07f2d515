"""Log records reach standard error even after a command ran with it redirected."""

from __future__ import annotations

import contextlib
import io
import logging
import logging.config

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
