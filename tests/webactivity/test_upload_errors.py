"""What the upload page says about a file it cannot fully read: which line, what is wrong,
and nothing stored when nothing could be read."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from boundaries.webactivity.models import AnalysisRun, DayFigure
from tests.cast import PASSWORD
from tests.webactivity.conftest import Staffroom
from tests.webactivity.logs import busy_day, last_monday


def post(client: Client, name: str, text: str, fmt: str, columns: str = ""):  # type: ignore[no-untyped-def]
    assert client.login(username="head", password=PASSWORD)
    return client.post(
        "/o/rivington/web-activity/upload/",
        {"log": SimpleUploadedFile(name, text.encode()), "format": fmt, "columns": columns},
    )


def test_a_smoothwall_export_is_analysed_and_its_bad_row_named(
    staffroom: Staffroom, client: Client
) -> None:
    day = f"{last_monday():%d/%m/%Y}"
    text = (
        "Time,Username,Source IP,Group,Code,URL,Categories\n"
        f"{day} 09:00:00,t.teacher,10.1.1.5,Staff,200,https://www.facebook.com/,Social\n"
        f"{day} 9am,t.teacher,10.1.1.5,Staff,200,https://www.facebook.com/,Social\n"
        f"{day} 09:01:00,t.teacher,10.1.1.5,Staff,200,https://www.facebook.com/,Social\n"
    )
    reply = post(client, "web-filter.csv", text, "smoothwall")
    assert "Figures saved" in reply.text, reply.text
    assert DayFigure.objects.get(staff=staffroom.teacher).social_minutes == 2
    assert f"line 3: the time &#x27;{day} 9am&#x27; is not a date and time like" in reply.text


def test_a_file_in_another_format_is_refused_and_nothing_is_stored(
    staffroom: Staffroom, client: Client
) -> None:
    squid = "\n".join(busy_day(last_monday(), "t.teacher", 3)) + "\n"
    reply = post(client, "monday.log", squid, "combined")
    assert "There is a problem" in reply.text
    assert "monday.log: nothing could be read as combined: 4 of its 4 lines" in reply.text
    assert "line 1: " in reply.text
    assert not AnalysisRun.objects.exists()


def test_an_export_with_unknown_columns_names_them_and_the_expected_ones(
    staffroom: Staffroom, client: Client
) -> None:
    text = f"When,Who,Address\n{last_monday()} 09:00,t.teacher,www.facebook.com\n"
    reply = post(client, "activity.csv", text, "lightspeed")
    assert "activity.csv: the header names &#x27;When&#x27;, &#x27;Who&#x27;" in reply.text
    assert "the lightspeed format looks for time: one of &#x27;Time&#x27;" in reply.text
    assert "/tmp" not in reply.text and not AnalysisRun.objects.exists()
    mapped = post(client, "activity.csv", text, "lightspeed", "time=When,user=Who,url=Address")
    assert "Figures saved" in mapped.text, mapped.text
    assert DayFigure.objects.get().date == last_monday()


def test_a_weekend_only_log_is_saved_with_no_figures(staffroom: Staffroom, client: Client) -> None:
    """Lines that parse but fall outside working days are not 'nothing read'."""
    sunday = last_monday() - dt.timedelta(days=1)
    reply = post(client, "sunday.log", "\n".join(busy_day(sunday, "t.teacher", 2)) + "\n", "squid")
    assert "Figures saved" in reply.text and not DayFigure.objects.exists()
