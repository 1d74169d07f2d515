"""The clause-by-clause page shows live status for this feature's controls."""

from __future__ import annotations

import datetime as dt

from boundaries.acknowledgements import actions
from boundaries.acknowledgements.models import Assignment
from boundaries.policies.controls import control_status
from tests.acknowledgements.helpers import TODAY, import_staff, policy_in_force, staff
from tests.cast import Cast


def test_each_control_reports_its_state(cast: Cast) -> None:
    assert control_status("staff_acknowledgement", cast.school, TODAY).state == "not_measured"
    import_staff(cast)
    _, v1 = policy_in_force(cast)
    for mis_id, user in (
        ("S1", cast.head),
        ("S2", cast.teacher),
        ("S3", cast.dsl),
        ("S4", cast.hr),
    ):
        actions.acknowledge(Assignment.objects.get(staff=staff(mis_id), version=v1), user=user)
    ok = control_status("staff_acknowledgement", cast.school, TODAY)
    assert ok.state == "ok" and "4 of 4" in ok.summary
    assert control_status("induction", cast.school, TODAY).state == "ok"
    privacy = control_status("privacy_check", cast.school, TODAY)
    assert privacy.state == "attention" and "0 of 4" in privacy.summary
    actions.record_privacy_check(
        staff("S2"),
        ["facebook"],
        user=cast.teacher,
        now=dt.datetime(2026, 1, 12, 10, tzinfo=dt.UTC),
    )
    assert "1 of 4" in control_status("privacy_check", cast.school, TODAY).summary
    assert control_status("staff_handbook", cast.school, TODAY).state == "ok"
