"""The third-party samples in ../shared/data/logs through the upload page: malformed lines
are counted and reported, never fatal, and nothing from them is stored but counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from boundaries.webactivity.models import AnalysisRun, DayFigure
from tests.cast import PASSWORD
from tests.webactivity.conftest import Staffroom

SHARED = Path(__file__).resolve().parents[3] / "shared/data/logs"


@pytest.mark.skipif(
    not SHARED.exists(),
    reason="../shared/data/logs is absent: the third-party samples are not in a clone",
)
@pytest.mark.parametrize(
    ("name", "fmt", "lines", "unparsed"),
    [
        ("netdata-squidlog-testdata-access.log", "squid", 500, 16),
        ("elastic-examples-apache_logs.combined.log", "combined", 10000, 1),
    ],
)
def test_the_shared_samples_upload_with_their_bad_lines_counted(
    staffroom: Staffroom, client: Client, name: str, fmt: str, lines: int, unparsed: int
) -> None:
    assert client.login(username="head", password=PASSWORD)
    reply = client.post(
        "/o/rivington/web-activity/upload/",
        {"log": SimpleUploadedFile(name, (SHARED / name).read_bytes()), "format": fmt},
    )
    assert "Figures saved" in reply.text, reply.text
    run = AnalysisRun.objects.get()
    assert (run.lines, run.unparsed_lines) == (lines, unparsed)
    assert run.unmapped_lines == lines - unparsed  # none of these people is on our staff
    assert not DayFigure.objects.exists()
    assert run.sources.get().name == name
