from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from boundaries.concerns.models import ContactStatus, PupilContactReport
from boundaries.core.models import AuditEvent
from tests.cast import Cast
from tests.declarations.school import School, make_school, signed_in

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def school(cast: Cast) -> School:
    return make_school(cast)


def report_data(**fields: Any) -> dict[str, Any]:
    when = timezone.localtime() - dt.timedelta(hours=2)
    return {
        "pupil": "",
        "pupil_description": "",
        "platform": "Instagram",
        "contacted_at": when.strftime("%Y-%m-%dT%H:%M"),
        "what_was_said": "Asked if I would follow them back",
        "did_not_respond": "on",
        **fields,
    }


def test_a_report_emails_the_line_manager_and_the_dsl_after_commit_and_gives_a_receipt(
    school: School, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in("teacher").post(
            "/o/rivington/pupil-contacts/report/", report_data(pupil=str(school.pupil.pk))
        )
    assert response.status_code == 302
    report = PupilContactReport.objects.get()
    assert response["Location"].endswith(f"/pupil-contacts/{report.pk}/sent/")
    assert report.pupil == school.pupil and report.did_not_respond
    to_dsl = smtp_server.to("dsl@rivington.example")
    to_manager = smtp_server.to("manager@rivington.example")
    assert len(to_dsl) == 1 and to_dsl == to_manager
    body = to_dsl[0].get_payload()
    assert "Ada Invented" not in body and "follow them back" not in body
    assert f"/o/rivington/pupil-contacts/{report.pk}/" in body
    assert len(smtp_server.to("teacher@rivington.example")) == 1
    assert AuditEvent.objects.filter(action="pupil_contacts.reported").exists()


def test_no_email_is_sent_when_the_report_is_refused(
    school: School, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in("teacher").post(
            "/o/rivington/pupil-contacts/report/", report_data(did_not_respond="")
        )
    assert response.status_code == 200
    assert "Confirm that you did not respond to the pupil" in response.text
    assert smtp_server.messages == []
    assert not PupilContactReport.objects.exists()


def test_screenshots_are_kept_and_a_disguised_file_is_refused(
    school: School, tmp_path: Any, settings: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    good = SimpleUploadedFile("shot.png", PNG, content_type="image/png")
    response = signed_in("teacher").post(
        "/o/rivington/pupil-contacts/report/", report_data(screenshots=[good])
    )
    assert response.status_code == 302, response.context["form"].errors
    report = PupilContactReport.objects.get()
    assert report.attachments.count() == 1
    bad = SimpleUploadedFile("shot.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = signed_in("teacher").post(
        "/o/rivington/pupil-contacts/report/", report_data(screenshots=[bad])
    )
    assert "shot.png must be a PNG or JPEG image or a PDF" in response.text
    assert PupilContactReport.objects.count() == 1


def test_the_dsl_records_the_steps_and_cannot_close_until_they_are_done(school: School) -> None:
    signed_in("teacher").post("/o/rivington/pupil-contacts/report/", report_data())
    report = PupilContactReport.objects.get()
    dsl = signed_in("dsl")
    url = f"/o/rivington/pupil-contacts/{report.pk}/"
    dsl.post(url + "close/", {"note": ""})
    report.refresh_from_db()
    assert report.status == ContactStatus.OPEN
    for kind in ("told_not_acceptable", "blocked", "parents_informed"):
        assert dsl.post(url + "steps/", {"kind": kind, "note": ""}).status_code == 302
    dsl.post(url + "close/", {"note": "All done"})
    report.refresh_from_db()
    assert report.status == ContactStatus.CLOSED and report.closed_by == school.cast.dsl
    steps = {s.kind: s for s in report.steps.all()}
    assert steps["blocked"].recorded_by == school.cast.dsl
    assert AuditEvent.objects.filter(action="pupil_contacts.transition").count() == 1


def test_the_reporter_and_their_manager_see_the_report_but_not_other_staff(
    school: School,
) -> None:
    signed_in("teacher").post("/o/rivington/pupil-contacts/report/", report_data())
    report = PupilContactReport.objects.get()
    url = f"/o/rivington/pupil-contacts/{report.pk}/"
    assert signed_in("teacher").get(url).status_code == 200
    assert signed_in("manager").get(url).status_code == 200
    assert signed_in("manager").post(url + "steps/", {"kind": "blocked"}).status_code == 404
    for username in ("governor", "otherhead", "admin", "hr"):
        assert signed_in(username).get(url).status_code == 404, username
    assert AuditEvent.objects.filter(action="pupil_contacts.viewed").count() == 1
