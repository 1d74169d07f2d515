"""The school report, named drill-down, own figures and challenges, through HTTP."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from boundaries.core.models import AuditEvent
from boundaries.webactivity import forms
from boundaries.webactivity.models import (
    AnalysisRun,
    DayFigure,
    FigureChallenge,
    IdentityMapping,
    WebActivitySettings,
    WorkUseMark,
)
from tests.cast import PASSWORD
from tests.webactivity.conftest import Staffroom
from tests.webactivity.logs import busy_day, last_monday, squid_line


def sign_in(client: Client, username: str) -> Client:
    assert client.login(username=username, password=PASSWORD)
    return client


def log_bytes(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def upload(client: Client, lines: list[str], name: str = "monday.log", **extra: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/o/rivington/web-activity/upload/",
        {"log": SimpleUploadedFile(name, log_bytes(lines)), "format": "squid", **extra},
    )


@pytest.fixture
def analysed(staffroom: Staffroom, client: Client) -> Staffroom:
    """Teacher 40 minutes on Monday (above the default 15), colleague 5."""
    monday = last_monday()
    lines = busy_day(monday, "t.teacher", 40) + busy_day(monday, "c.colleague", 5)
    lines += busy_day(monday + dt.timedelta(1), "t.teacher", 2)
    reply = upload(sign_in(client, "head"), lines)
    assert reply.status_code == 200 and "Figures saved" in reply.text, reply.text
    client.logout()
    return staffroom


@pytest.mark.parametrize("in_memory_limit", [10_000_000, 0])
def test_the_head_uploads_a_log_and_the_file_is_deleted(
    staffroom: Staffroom,
    client: Client,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    settings: object,
    in_memory_limit: int,
) -> None:
    """Small uploads arrive in memory, large ones in Django's temporary file: both go."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = in_memory_limit  # type: ignore[attr-defined]
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)  # type: ignore[attr-defined]
    reply = upload(sign_in(client, "head"), busy_day(last_monday(), "t.teacher", 4))
    assert "Figures saved" in reply.text
    assert DayFigure.objects.get().social_minutes == 4
    assert list(tmp_path.iterdir()) == []
    assert AnalysisRun.objects.get().sources.get().name == "monday.log"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01binary", "monday.log: not a text log"),
        (b"", "The log file is empty"),
    ],
)
def test_a_bad_upload_says_what_is_wrong_and_stores_nothing(
    staffroom: Staffroom, client: Client, content: bytes, message: str
) -> None:
    reply = sign_in(client, "head").post(
        "/o/rivington/web-activity/upload/",
        {"log": SimpleUploadedFile("monday.log", content), "format": "squid"},
    )
    assert "There is a problem" in reply.text and message in reply.text
    assert not AnalysisRun.objects.exists()


def test_an_upload_over_the_limit_is_refused(
    staffroom: Staffroom, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(forms, "MAX_UPLOAD", 100)
    reply = upload(sign_in(client, "head"), busy_day(last_monday(), "t.teacher", 4))
    assert "The log file must be smaller than 100 bytes" in reply.text
    assert not AnalysisRun.objects.exists()


def test_the_upload_page_promises_no_more_than_the_server_takes(
    staffroom: Staffroom, client: Client, settings: object
) -> None:
    """Bodies over REQUEST_MAX_BYTES are refused before the form sees them (413)."""
    settings.REQUEST_MAX_BYTES = 50 << 20  # type: ignore[attr-defined]
    page = sign_in(client, "head").get("/o/rivington/web-activity/upload/")
    assert "up to 50 MB" in page.text and "1 GB" not in page.text
    assert "boundaries weblogs analyse --school" in page.text


@pytest.mark.parametrize(
    ("username", "path", "status"),
    [
        ("teacher", "upload/", 404),
        ("hr", "upload/", 404),
        ("teacher", "", 404),
        ("governor", "", 404),
        ("otherhead", "", 404),
        ("hr", "", 200),
        ("head", "", 200),
        ("teacher", "mine/", 200),
        ("teacher", "notice/", 200),
        ("teacher", "settings/", 404),
        ("hr", "settings/", 404),
        ("otherhead", "mine/", 404),
    ],
)
def test_who_may_open_which_page(
    staffroom: Staffroom, client: Client, username: str, path: str, status: int
) -> None:
    assert sign_in(client, username).get(f"/o/rivington/web-activity/{path}").status_code == status


def test_the_report_has_a_chart_a_table_and_no_names(analysed: Staffroom, client: Client) -> None:
    page = sign_in(client, "head").get("/o/rivington/web-activity/")
    assert "<svg" in page.text and "<rect" in page.text
    assert 'id="day-table"' in page.text
    monday = last_monday()
    assert f"{monday:%a} {monday.day} {monday:%b}" in page.text
    assert "Staff member 1" in page.text
    assert "Tess Teacher" not in page.text and "Colin Colleague" not in page.text
    assert "Staff member 2" not in page.text  # the colleague's 5 minutes are under 15


def test_a_named_drilldown_needs_a_reason_and_is_audited(
    analysed: Staffroom, client: Client
) -> None:
    url = f"/o/rivington/web-activity/people/{analysed.teacher.pk}/"
    signed = sign_in(client, "head")
    form = signed.get(url)
    assert "Give a reason" in form.text and "Tess Teacher" not in form.text
    refused = signed.post(url, {"reason": "why"})
    assert "at least 10 characters" in refused.text and "Tess Teacher" not in refused.text
    assert not AuditEvent.objects.filter(action="webactivity.named_view").exists()
    shown = signed.post(url, {"reason": "Repeated days above the threshold this week"})
    assert "Tess Teacher" in shown.text and "Facebook: 40" in shown.text
    event = AuditEvent.objects.get(action="webactivity.named_view")
    assert event.actor == analysed.cast.head
    assert event.after == {
        "staff": analysed.teacher.pk,
        "reason": "Repeated days above the threshold this week",
    }


def test_hr_from_the_authority_may_drill_down_but_not_another_school(
    analysed: Staffroom, client: Client
) -> None:
    url = f"/o/rivington/web-activity/people/{analysed.teacher.pk}/"
    reason = {"reason": "Formal review requested by the governors"}
    assert "Tess Teacher" in sign_in(client, "hr").post(url, reason).text
    client.logout()
    assert sign_in(client, "otherhead").post(url, reason).status_code == 404
    client.logout()
    assert sign_in(client, "teacher").post(url, reason).status_code == 404
    other = f"/o/rivington/web-activity/people/{analysed.other_school.pk}/"
    client.logout()
    assert sign_in(client, "head").post(other, reason).status_code == 404


def test_staff_see_their_own_figures_and_challenge_one(analysed: Staffroom, client: Client) -> None:
    signed = sign_in(client, "teacher")
    page = signed.get("/o/rivington/web-activity/mine/")
    assert "Tess Teacher" in page.text and "Colin Colleague" not in page.text
    monday = DayFigure.objects.get(staff=analysed.teacher, date=last_monday())
    reply = signed.post(
        f"/o/rivington/web-activity/mine/{monday.pk}/challenge/",
        {"note": "I was updating the school's Facebook page"},
    )
    assert reply.status_code == 302
    challenge = FigureChallenge.objects.get()
    assert (challenge.staff, challenge.minutes_shown) == (analysed.teacher, 40)
    assert AuditEvent.objects.filter(action="webactivity.figure_challenged").exists()
    theirs = DayFigure.objects.get(staff=analysed.colleague)
    assert signed.get(f"/o/rivington/web-activity/mine/{theirs.pk}/challenge/").status_code == 404


def test_the_head_answers_a_challenge_once(analysed: Staffroom, client: Client) -> None:
    monday = DayFigure.objects.get(staff=analysed.teacher, date=last_monday())
    sign_in(client, "teacher").post(
        f"/o/rivington/web-activity/mine/{monday.pk}/challenge/", {"note": "Shared laptop"}
    )
    client.logout()
    challenge = FigureChallenge.objects.get()
    signed = sign_in(client, "head")
    assert "1 challenge from staff" in signed.get("/o/rivington/web-activity/").text
    url = f"/o/rivington/web-activity/challenges/{challenge.pk}/"
    assert signed.post(url, {"answer": "Agreed: marked as work use"}).status_code == 302
    challenge.refresh_from_db()
    assert challenge.status == "answered"
    again = signed.post(url, {"answer": "Changed my mind"})
    assert "cannot change" in again.text
    client.logout()
    assert (
        "Agreed: marked as work use"
        in sign_in(client, "teacher").get("/o/rivington/web-activity/mine/").text
    )


def test_the_threshold_is_the_schools_choice(analysed: Staffroom, client: Client) -> None:
    signed = sign_in(client, "head")
    reply = signed.post(
        "/o/rivington/web-activity/settings/",
        {"threshold_minutes": "4", "retention_days": "90", "match_email_logins": "on"},
    )
    assert reply.status_code == 302
    assert WebActivitySettings.objects.get().threshold_minutes == 4
    assert "Staff member 2" in signed.get("/o/rivington/web-activity/").text
    assert AuditEvent.objects.filter(action="webactivity.settings_changed").exists()


def test_work_use_for_one_person_leaves_their_facebook_out(
    staffroom: Staffroom, client: Client
) -> None:
    signed = sign_in(client, "head")
    signed.post(
        "/o/rivington/web-activity/settings/work-use/",
        {"platform": "Facebook", "staff": str(staffroom.teacher.pk)},
    )
    assert WorkUseMark.objects.get().staff == staffroom.teacher
    monday = last_monday()
    upload(signed, busy_day(monday, "t.teacher", 30) + busy_day(monday, "c.colleague", 30))
    assert DayFigure.objects.get(staff=staffroom.teacher).social_minutes == 0
    assert DayFigure.objects.get(staff=staffroom.colleague).social_minutes == 30


IDENTITIES = (
    "person,login,ip,valid_from,valid_to\n"
    "S042,,10.9.9.9,{day}T08:00,{day}T16:00\n"
    "t.teacher@rivington.example,tess-proxy,,,\n"
)


def test_identities_csv_maps_logins_and_ip_leases_by_time(
    staffroom: Staffroom, client: Client
) -> None:
    monday = last_monday()
    signed = sign_in(client, "head")
    reply = signed.post(
        "/o/rivington/web-activity/settings/identities/",
        {"identities": SimpleUploadedFile("ids.csv", IDENTITIES.format(day=monday).encode())},
    )
    assert reply.status_code == 302
    assert IdentityMapping.objects.count() == 2
    lines = [
        squid_line(monday, "09:00", "-", "www.facebook.com:443", ip="10.9.9.9"),
        squid_line(monday, "17:00", "-", "www.facebook.com:443", ip="10.9.9.9"),  # lease ended
        squid_line(monday, "09:00", "tess-proxy", "www.reddit.com:443"),
    ]
    upload(signed, lines)
    assert DayFigure.objects.get(staff=staffroom.colleague).social_minutes == 1
    assert DayFigure.objects.get(staff=staffroom.teacher).platforms == {"Reddit": 1}
    assert AnalysisRun.objects.get().unmapped_lines == 1


@pytest.mark.parametrize(
    ("csv_text", "message"),
    [
        ("who,login\nx,y\n", "line 1: the header needs"),
        ("person,login\nnobody@x.example,abc\n", "line 2: person &#x27;nobody@x.example&#x27;"),
        ("person,ip\nS042,10.0.0.300\n", "line 2: ip &#x27;10.0.0.300&#x27; is not an IP"),
        ("person,ip\nS042,10.0.0.3\n", "line 2: an ip lease needs valid_from and valid_to"),
        ("person,login,valid_from\nS042,a,\nS042,b,soon\n", "line 3: valid_from &#x27;soon&#x27;"),
    ],
)
def test_a_bad_identities_file_names_the_line_and_changes_nothing(
    staffroom: Staffroom, client: Client, csv_text: str, message: str
) -> None:
    reply = sign_in(client, "head").post(
        "/o/rivington/web-activity/settings/identities/",
        {"identities": SimpleUploadedFile("ids.csv", csv_text.encode())},
    )
    assert message in reply.text, reply.text
    assert "Nothing was changed" in reply.text
    assert not IdentityMapping.objects.exists()


def test_figures_past_the_retention_period_are_deleted(
    staffroom: Staffroom, client: Client
) -> None:
    signed = sign_in(client, "head")
    old = last_monday() - dt.timedelta(weeks=40)
    upload(signed, busy_day(old, "t.teacher", 5) + busy_day(last_monday(), "t.teacher", 5))
    assert list(DayFigure.objects.values_list("date", flat=True)) == [last_monday()]


@pytest.mark.parametrize(
    ("username", "shown", "hidden"),
    [
        ("teacher", ["Can I post this?", "Your web use figures"], ["Analyse a web-filter log"]),
        ("head", ["Social media use in working hours", "Analyse a web-filter log"], []),
        ("governor", ["Can I post this?"], ["Social media use in working hours"]),
    ],
)
def test_the_school_page_links_to_what_each_person_may_use(
    staffroom: Staffroom, client: Client, username: str, shown: list[str], hidden: list[str]
) -> None:
    page = sign_in(client, username).get("/o/rivington/")
    for label in shown:
        assert label in page.text
    for label in hidden:
        assert label not in page.text
