from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from boundaries.core.models import AuditEvent
from boundaries.declarations import actions
from boundaries.declarations.models import ConnectionDeclaration, DeclarationStatus
from boundaries.declarations.reconfirmation import send_reconfirmation_reminders
from tests.cast import Cast
from tests.declarations.school import School, make_school, signed_in


@pytest.fixture
def school(cast: Cast) -> School:
    return make_school(cast)


def declare(client: Client, **fields: str) -> ConnectionDeclaration:
    data = {
        "counterpart_kind": "parent_carer",
        "relationship": "prior_friendship",
        "platforms": ["Facebook"],
        "other_platforms": "",
        "since": "01/09/2019",
        **fields,
    }
    response = client.post("/o/rivington/declarations/new/", data)
    assert response.status_code == 302, response.context["form"].errors
    return ConnectionDeclaration.objects.latest("pk")


def test_a_teacher_declares_a_parent_from_the_roster_sees_the_advice_and_acknowledges(
    school: School,
) -> None:
    teacher = signed_in("teacher")
    declaration = declare(
        teacher, person=f"carer:{school.carer.pk}", other_platforms="Strava, WhatsApp"
    )
    assert declaration.carer == school.carer
    assert declaration.platforms == ["Facebook", "Strava", "WhatsApp"]
    assert declaration.status == DeclarationStatus.AWAITING_ACKNOWLEDGEMENT
    page = teacher.get(f"/o/rivington/declarations/{declaration.pk}/")
    assert "relationship with this person has changed" in page.text
    assert "formal action" in page.text
    teacher.post(f"/o/rivington/declarations/{declaration.pk}/acknowledge/")
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.AWAITING_REVIEW
    assert declaration.acknowledged_at is not None
    event = AuditEvent.objects.filter(action="declarations.declared").get()
    assert event.after["counterpart_kind"] == "parent_carer"
    assert "Dot Parent" not in str(event.after)


def test_the_line_manager_reviews_and_records_an_outcome(school: School) -> None:
    declaration = declare(signed_in("teacher"), counterpart_name="Someone Typed")
    actions.acknowledge_advice(declaration, actor=school.cast.teacher)
    manager = signed_in("manager")
    listing = manager.get("/o/rivington/declarations/review/")
    assert "Tess Teacher" in listing.text
    response = manager.post(
        f"/o/rivington/declarations/{declaration.pk}/review/",
        {"outcome": "end_connection", "note": "Talked it through"},
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.outcome == "end_connection"
    assert declaration.reviewed_by == school.manager
    assert AuditEvent.objects.filter(action="declarations.reviewed").exists()


def test_another_teacher_and_the_other_school_cannot_see_a_declaration(school: School) -> None:
    declaration = declare(signed_in("teacher"), counterpart_name="Someone Typed")
    for username in ("governor", "otherhead", "admin", "hr"):
        response = signed_in(username).get(f"/o/rivington/declarations/{declaration.pk}/")
        assert response.status_code == 404, username


def test_a_reviewer_reading_a_declaration_is_audited(school: School) -> None:
    declaration = declare(signed_in("teacher"), counterpart_name="Someone Typed")
    assert signed_in("dsl").get(f"/o/rivington/declarations/{declaration.pk}/").status_code == 200
    assert AuditEvent.objects.filter(
        action="declarations.viewed", actor=school.cast.dsl, object_id=str(declaration.pk)
    ).exists()


@pytest.mark.parametrize(
    ("kind", "pupil_attr", "flagged"),
    [
        ("former_pupil", "former_young", True),
        ("former_pupil", "former_adult", False),
        ("pupil", "pupil", True),
    ],
)
def test_a_former_pupils_age_comes_from_the_roster_and_under_18_is_flagged(
    school: School, kind: str, pupil_attr: str, flagged: bool
) -> None:
    pupil = getattr(school, pupil_attr)
    declaration = declare(
        signed_in("teacher"),
        counterpart_kind=kind,
        person=f"pupil:{pupil.pk}",
        relationship="relative",
    )
    today = timezone.localdate()
    assert declaration.under_18(today) is flagged
    page = signed_in("dsl").get(f"/o/rivington/declarations/{declaration.pk}/")
    assert ("Under 18" in page.text) is flagged
    if kind == "former_pupil":
        assert f"aged {pupil.age_on(today)}" in page.text
        assert (pupil.age_on(today) < 18) is flagged


def test_nothing_chosen_or_typed_is_refused_with_a_message(school: School) -> None:
    response = signed_in("teacher").post(
        "/o/rivington/declarations/new/",
        {"counterpart_kind": "pupil", "relationship": "other", "platforms": []},
    )
    assert response.status_code == 200
    assert "Choose the person from the list or type a name" in response.text
    assert "Choose or type at least one platform" in response.text
    assert not ConnectionDeclaration.objects.exists()


def test_the_school_edits_its_advice_and_new_declarations_show_it(school: School) -> None:
    signed_in("head").post(
        "/o/rivington/declarations/advice/", {"text": "Our own words about the risks."}
    )
    declaration = declare(signed_in("teacher"), counterpart_name="Someone Typed")
    assert declaration.advice_shown == "Our own words about the risks."
    assert (
        signed_in("teacher").post("/o/rivington/declarations/advice/", {"text": "x"}).status_code
        == 404
    )


@pytest.mark.django_db(transaction=True)  # emails go after commit
def test_reconfirmation_falls_due_after_a_year_and_a_reminder_goes_once(school: School) -> None:
    declaration = declare(signed_in("teacher"), counterpart_name="Someone Typed")
    ConnectionDeclaration.objects.filter(pk=declaration.pk).update(
        last_confirmed_on=dt.date(2025, 11, 1)
    )
    day = dt.date(2026, 11, 2)
    assert send_reconfirmation_reminders(day).sent == 1
    assert send_reconfirmation_reminders(day).sent == 0
    assert mail.outbox[-1].to == ["teacher@rivington.example"]
    due_page = signed_in("manager").get("/o/rivington/declarations/reconfirmation-due/")
    assert "Tess Teacher" in due_page.text
    signed_in("teacher").post(f"/o/rivington/declarations/{declaration.pk}/reconfirm/")
    declaration.refresh_from_db()
    assert declaration.last_confirmed_on == timezone.localdate()


def test_the_export_is_csv_for_the_dsl_only(school: School) -> None:
    declare(signed_in("teacher"), counterpart_name="=HYPERLINK(1)")
    response = signed_in("dsl").get("/o/rivington/declarations/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK(1)" in response.content.decode()
    assert signed_in("manager").get("/o/rivington/declarations/export.csv").status_code == 404


def test_the_remind_command_sends_due_reminders(
    school: School, capsys: pytest.CaptureFixture[str]
) -> None:
    from boundaries.cli import app

    declaration = declare(signed_in("teacher"), counterpart_name="Someone Typed")
    ConnectionDeclaration.objects.filter(pk=declaration.pk).update(
        last_confirmed_on=dt.date(2025, 1, 1)
    )
    with pytest.raises(SystemExit) as done:
        app(["declarations", "remind", "--today", "2026-01-02"])
    assert done.value.code == 0
    assert "1 sent" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="declarations.reconfirmation_reminded").count() == 1


def test_acknowledging_the_advice_emails_the_line_manager_a_link_without_names(
    school: School, django_capture_on_commit_callbacks: Any
) -> None:
    declaration = declare(signed_in("teacher"), counterpart_name="Someone Typed")
    with django_capture_on_commit_callbacks(execute=True):
        signed_in("teacher").post(f"/o/rivington/declarations/{declaration.pk}/acknowledge/")
    [message] = [m for m in mail.outbox if "review" in m.subject]
    assert message.to == ["manager@rivington.example"]
    assert f"/o/rivington/declarations/{declaration.pk}/review/" in message.body
    assert "Someone Typed" not in message.body and "Tess" not in message.body
