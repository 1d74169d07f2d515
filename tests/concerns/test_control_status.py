from __future__ import annotations

import datetime as dt

import pytest

from boundaries.concerns import actions, contact_actions
from boundaries.declarations import actions as declaration_actions
from boundaries.declarations import device_actions, recruitment_actions
from boundaries.policies.controls import control_status
from tests.cast import Cast
from tests.declarations.school import School, make_school

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
LATER = dt.date(2026, 11, 24)


@pytest.fixture
def school(cast: Cast) -> School:
    return make_school(cast)


def test_with_nothing_recorded_the_controls_say_so(school: School) -> None:
    org = school.cast.school
    assert control_status("concerns", org, LATER).state == "ok"
    assert control_status("pupil_contact_reports", org, LATER).state == "ok"
    assert control_status("connection_declarations", org, LATER).state == "ok"
    assert control_status("recruitment_attestation", org, LATER).state == "not_measured"
    assert control_status("school_devices", org, LATER).state == "not_measured"


def test_overdue_work_turns_each_control_to_attention(school: School) -> None:
    cast, org = school.cast, school.cast.school
    concern = actions.raise_concern(
        org, actor=cast.teacher, subject=school.manager_record, summary="S", detail="D", now=NOW
    )
    actions.transition(concern, "allegation", actor=cast.dsl, now=NOW)
    contact_actions.report_pupil_contact(
        org,
        actor=cast.teacher,
        platform="TikTok",
        contacted_at=NOW - dt.timedelta(hours=1),
        what_was_said="Hi",
        did_not_respond=True,
        now=NOW,
    )
    declaration = declaration_actions.declare_connection(
        org,
        actor=cast.teacher,
        counterpart_kind="pupil",
        relationship="relative",
        platforms=["WhatsApp"],
        counterpart_name="A nephew",
        now=NOW - dt.timedelta(days=400),
    )
    declaration_actions.acknowledge_advice(declaration, actor=cast.teacher, now=NOW)
    recruitment_actions.create_vacancy(
        org, actor=cast.head, title="TA", closing_date=dt.date(2026, 10, 1), shortlist=["C1"]
    )
    device = device_actions.add_device(org, actor=cast.head, kind="tablet", label="T1")
    device_actions.lend(
        device,
        actor=cast.head,
        borrower=school.teacher_record,
        purpose="Trip",
        loaned_on=dt.date(2026, 11, 1),
        due_back=dt.date(2026, 11, 3),
    )
    for code in (
        "concerns",
        "pupil_contact_reports",
        "connection_declarations",
        "recruitment_attestation",
        "school_devices",
    ):
        status = control_status(code, org, LATER)
        assert status.state == "attention", (code, status.summary)
        assert "Tess" not in status.summary and "nephew" not in status.summary
    assert "1 LADO referrals overdue" in control_status("concerns", org, LATER).summary
