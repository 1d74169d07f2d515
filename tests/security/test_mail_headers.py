"""A name with a line break in it cannot add a header or a recipient to an email: checked on
what a real SMTP server receives."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from boundaries.acknowledgements.reminders import send_due
from boundaries.concerns import actions as concern_actions
from boundaries.core.models import Organisation, StaffRecord
from tests.acknowledgements.helpers import TODAY, import_staff, policy_in_force
from tests.cast import Cast, policy_with_versions
from tests.declarations.school import make_school

INJECTED = "\r\nBcc: mallory@attacker.example\r\nX-Injected: yes"


HEADERS = {"Content-Type", "Content-Transfer-Encoding", "MIME-Version"} | {
    *["Subject", "From", "To", "Date", "Message-ID"]
}


def _assert_nothing_injected(smtp_server: Any) -> None:
    assert smtp_server.messages
    for message in smtp_server.messages:
        assert set(message.keys()) == HEADERS, message.items()
        assert "attacker" not in message["To"]
    assert "mallory@attacker.example" not in smtp_server.recipients


@pytest.mark.django_db(transaction=True)  # emails go after commit
def test_a_school_or_person_named_with_a_line_break_adds_no_header_to_reminders(
    cast: Cast, smtp_server: Any
) -> None:
    import_staff(cast)
    policy_in_force(cast)
    Organisation.objects.filter(pk=cast.school.pk).update(name="Rivington" + INJECTED)
    StaffRecord.objects.filter(mis_id="S2").update(full_name="Tess Teacher" + INJECTED)
    run = send_due(TODAY + dt.timedelta(days=15))
    assert run.managers == 3 and run.digests == 1
    _assert_nothing_injected(smtp_server)
    # A long subject is folded onto continuation lines, as mail allows; unfolded here.
    subjects = [" ".join(m["Subject"].split()) for m in smtp_server.to("head@rivington.example")]
    assert any(s.startswith("Overdue: Tess Teacher Bcc: mallory@") for s in subjects), subjects
    assert any(
        s.endswith("at Rivington Bcc: mallory@attacker.example X-Injected: yes") for s in subjects
    )


@pytest.mark.django_db(transaction=True)  # emails go after commit
def test_a_school_named_with_a_line_break_adds_no_header_to_a_concern_email(
    cast: Cast, smtp_server: Any
) -> None:
    policy_with_versions(cast)
    school = make_school(cast)
    Organisation.objects.filter(pk=cast.school.pk).update(name="Rivington" + INJECTED)
    cast.school.refresh_from_db()
    concern_actions.raise_concern(
        cast.school,
        actor=cast.teacher,
        subject=school.dsl_record,
        summary="Follows pupils on TikTok",
        detail="Seen by a parent",
    )
    assert smtp_server.to("head@rivington.example")
    _assert_nothing_injected(smtp_server)
