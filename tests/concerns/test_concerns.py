from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from boundaries.concerns import actions
from boundaries.concerns.counts import shown, term_of
from boundaries.concerns.errors import ConcernError
from boundaries.concerns.models import Concern, ConcernStatus
from boundaries.concerns.working_days import add_working_days
from boundaries.core.models import AuditEvent, WorkingCalendar
from boundaries.policies.models import Clause
from tests.cast import Cast, policy_with_versions
from tests.declarations.school import School, make_school, signed_in


@pytest.fixture
def school(cast: Cast) -> School:
    policy_with_versions(cast)
    return make_school(cast)


def raise_one(school: School, username: str = "teacher", **extra: Any) -> Concern:
    clause = Clause.objects.get(number="4.1(iv)", version__status="in_force")
    data = {
        "subject": str(school.manager_record.pk),
        "summary": "Messages a parent on Facebook",
        "detail": "Seen on the class parents' group.",
        "occurred_on": "",
        "clauses": [str(clause.pk)],
        **extra,
    }
    response = signed_in(username).post("/o/rivington/concerns/raise/", data)
    assert response.status_code == 302, response.context["form"].errors
    return Concern.objects.latest("pk")


def test_anyone_can_raise_a_concern_and_sees_its_status_but_not_its_content(
    school: School,
) -> None:
    concern = raise_one(school)
    assert concern.raised_by == school.cast.teacher
    assert [c.number for c in concern.clauses.all()] == ["4.1(iv)"]
    teacher = signed_in("teacher")
    page = teacher.get("/o/rivington/concerns/yours/")
    assert "open" in page.text and "Facebook" not in page.text and "Mo Manager" not in page.text
    assert teacher.get(f"/o/rivington/concerns/{concern.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("dsl", 200),
        ("head", 200),
        ("hr", 200),
        ("teacher", 404),
        ("manager", 404),
        ("governor", 404),
        ("otherhead", 404),
        ("admin", 404),
    ],
)
def test_only_the_dsl_the_head_and_hr_see_a_concern_and_each_read_is_audited(
    school: School, username: str, status: int
) -> None:
    concern = raise_one(school)
    assert signed_in(username).get(f"/o/rivington/concerns/{concern.pk}/").status_code == status
    reads = AuditEvent.objects.filter(action="concerns.viewed", object_id=str(concern.pk))
    assert reads.count() == (1 if status == 200 else 0)


def test_the_office_logs_a_parents_complaint_but_a_teacher_cannot(school: School) -> None:
    concern = raise_one(school, "head", complaint="1", complainant="A parent of Year 4")
    assert concern.source == "parent_complaint" and concern.complainant == "A parent of Year 4"
    response = signed_in("teacher").get("/o/rivington/concerns/raise/?complaint=1")
    assert response.status_code == 404


def test_an_allegation_gets_a_lado_deadline_of_one_working_day_and_moves_through_the_table(
    school: School,
) -> None:
    concern = raise_one(school)
    dsl = signed_in("dsl")
    url = f"/o/rivington/concerns/{concern.pk}/"
    dsl.post(url + "transition/", {"to": "allegation", "note": "Meets the harm threshold"})
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ALLEGATION
    assert concern.lado_due is not None and concern.lado_due.weekday() < 5
    dsl.post(url + "transition/", {"to": "referred", "lado_reference": "LADO/26/118"})
    dsl.post(url + "transition/", {"to": "closed", "outcome": "formal_warning", "note": "HR"})
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED and concern.outcome == "formal_warning"
    moves = list(concern.events.filter(kind="transition").values_list("to_status", flat=True))
    assert moves == ["allegation", "referred", "closed"]
    assert AuditEvent.objects.filter(action="concerns.transition").count() == 3


@pytest.mark.parametrize(
    ("start", "to", "message"),
    [
        ("received", "closed", "cannot become closed"),
        ("received", "referred", "cannot become referred"),
        ("allegation", "closed", "cannot become closed"),
        ("closed", "referred", "cannot become referred"),
    ],
)
def test_illegal_moves_are_refused(school: School, start: str, to: str, message: str) -> None:
    concern = raise_one(school)
    Concern.objects.filter(pk=concern.pk).update(status=start)
    concern.refresh_from_db()
    with pytest.raises(ConcernError, match=message):
        actions.transition(concern, to, actor=school.cast.dsl, outcome="no_case")
    concern.refresh_from_db()
    assert concern.status == start


def test_hr_may_close_but_not_triage(school: School) -> None:
    concern = raise_one(school)
    with pytest.raises(ConcernError, match="Only the DSL or the headteacher triages"):
        actions.transition(concern, "low_level", actor=school.cast.hr)
    actions.transition(concern, "low_level", actor=school.cast.dsl)
    actions.transition(concern, "closed", actor=school.cast.hr, outcome="advice")
    concern.refresh_from_db()
    assert concern.status == "closed"


def test_the_member_of_staff_is_told_the_outcome_once_closed(school: School) -> None:
    concern = raise_one(school)
    manager = signed_in("manager")
    assert "Concerns about you" not in manager.get("/o/rivington/concerns/yours/").text
    actions.transition(concern, "low_level", actor=school.cast.dsl)
    actions.transition(concern, "closed", actor=school.cast.dsl, outcome="advice")
    page = manager.get("/o/rivington/concerns/yours/")
    assert "advice and guidance" in page.text
    assert "Your line manager will give you advice and guidance" in page.text
    assert "Facebook" not in page.text and "Teacher Tester" not in page.text


@pytest.mark.parametrize(
    ("start", "days", "weekdays", "closed", "expected"),
    [
        (dt.date(2026, 11, 24), 1, {0, 1, 2, 3, 4}, set(), dt.date(2026, 11, 25)),
        (dt.date(2026, 11, 27), 1, {0, 1, 2, 3, 4}, set(), dt.date(2026, 11, 30)),
        (dt.date(2026, 11, 27), 1, {0, 1, 2, 3, 4}, {"2026-11-30"}, dt.date(2026, 12, 1)),
        (dt.date(2026, 11, 24), 3, {0, 2, 4}, set(), dt.date(2026, 11, 30)),
    ],
)
def test_working_days_skip_weekends_and_closed_days(
    start: dt.date, days: int, weekdays: set[int], closed: set[str], expected: dt.date
) -> None:
    assert add_working_days(start, days, weekdays, closed) == expected


def test_the_deadline_uses_the_schools_calendar_and_setting(school: School, settings: Any) -> None:
    from boundaries.concerns.working_days import lado_deadline

    WorkingCalendar.objects.create(organisation=school.cast.school, closed_days=["2026-11-30"])
    settings.LADO_REFERRAL_WORKING_DAYS = 2
    assert lado_deadline(school.cast.school, dt.date(2026, 11, 27)) == dt.date(2026, 12, 2)


@pytest.mark.parametrize(
    ("day", "term"),
    [
        (dt.date(2026, 9, 3), "Autumn 2026/27"),
        (dt.date(2027, 1, 5), "Spring 2026/27"),
        (dt.date(2027, 6, 30), "Summer 2026/27"),
    ],
)
def test_terms(day: dt.date, term: str) -> None:
    assert term_of(day) == term


@pytest.mark.parametrize(
    ("count", "text"), [(0, "0"), (1, "fewer than 5"), (4, "fewer than 5"), (5, "5")]
)
def test_small_numbers_are_suppressed(count: int, text: str) -> None:
    assert shown(count) == text


def test_a_governor_sees_counts_not_names(school: School) -> None:
    for _ in range(6):
        raise_one(school)
    page = signed_in("governor").get("/o/rivington/concerns/counts/")
    assert page.status_code == 200
    assert "4.1(iv)" in page.text and ">6<" in page.text
    assert "Mo Manager" not in page.text and "Facebook" not in page.text
    assert signed_in("governor").get("/o/rivington/concerns/").status_code == 404


def test_the_authority_sees_counts_across_schools_with_small_numbers_hidden(
    school: School,
) -> None:
    raise_one(school)
    page = signed_in("admin").get("/o/testshire/concerns/counts/")
    assert page.status_code == 200
    assert "fewer than 5" in page.text
    assert "Mo Manager" not in page.text


def test_a_concern_about_the_dsl_is_emailed_to_the_head_and_not_to_the_dsl(
    school: School, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        concern = actions.raise_concern(
            school.cast.school,
            actor=school.cast.teacher,
            subject=school.dsl_record,
            summary="Follows pupils on TikTok",
            detail="Seen by a parent",
        )
    assert smtp_server.to("dsl@rivington.example") == []
    [message] = smtp_server.to("head@rivington.example")
    assert f"/o/rivington/concerns/{concern.pk}/" in message.get_payload()
    assert "TikTok" not in message.get_payload() and "Dee" not in message.get_payload()


def test_the_chronology_reads_in_words(school: School) -> None:
    concern = raise_one(school)
    actions.transition(concern, "low_level", actor=school.cast.dsl, note="Spoke to them")
    actions.add_note(concern, "Follow-up meeting booked", actor=school.cast.hr)
    page = signed_in("dsl").get(f"/o/rivington/concerns/{concern.pk}/")
    assert "“received, waiting for triage” to “low-level concern”" in page.text
    assert "Follow-up meeting booked" in page.text
    assert [e.kind for e in concern.events.all()] == ["raised", "transition", "note"]
