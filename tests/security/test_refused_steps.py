"""A workflow step that the workflow's table or the person's role refuses is logged, once,
naming the record by kind and number only (ASVS V16.3.3: attempts to get round a control)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from boundaries.concerns.models import Concern
from boundaries.declarations.models import ConnectionDeclaration
from boundaries.policies import actions as policy_actions
from tests.cast import Cast, policy_with_versions
from tests.concerns.test_concerns import raise_one
from tests.declarations.school import School, make_school, signed_in
from tests.declarations.test_connections import declare

REFUSED = "boundaries.security.refused"


@pytest.fixture
def school(cast: Cast) -> School:
    policy_with_versions(cast)
    return make_school(cast)


def refusals(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == REFUSED]


def test_a_move_the_concern_page_did_not_offer_is_refused_and_logged(
    school: School, caplog: pytest.LogCaptureFixture
) -> None:
    concern = raise_one(school)
    caplog.set_level(logging.WARNING, logger=REFUSED)
    dsl = signed_in("dsl")
    response = dsl.post(f"/o/rivington/concerns/{concern.pk}/transition/", {"to": "closed"})
    assert response.status_code == 302
    assert Concern.objects.get(pk=concern.pk).status == "received"
    assert refusals(caplog) == [
        f"refused-step user={school.cast.dsl.pk} kind=concern pk={concern.pk} "
        "from=received to=closed reason=move"
    ]


def test_hr_triaging_a_concern_is_refused_and_logged_as_not_their_role(
    school: School, caplog: pytest.LogCaptureFixture
) -> None:
    concern = raise_one(school)
    caplog.set_level(logging.WARNING, logger=REFUSED)
    hr = signed_in("hr")
    hr.post(f"/o/rivington/concerns/{concern.pk}/transition/", {"to": "low_level"})
    assert Concern.objects.get(pk=concern.pk).status == "received"
    assert refusals(caplog) == [
        f"refused-step user={school.cast.hr.pk} kind=concern pk={concern.pk} "
        "from=received to=low_level reason=role"
    ]


def test_acknowledging_advice_twice_is_refused_and_logged(
    school: School, caplog: pytest.LogCaptureFixture
) -> None:
    teacher = signed_in("teacher")
    declaration = declare(teacher, counterpart_name="Someone Typed")
    teacher.post(f"/o/rivington/declarations/{declaration.pk}/acknowledge/")
    caplog.set_level(logging.WARNING, logger=REFUSED)
    teacher.post(f"/o/rivington/declarations/{declaration.pk}/acknowledge/")
    assert ConnectionDeclaration.objects.get(pk=declaration.pk).status == "awaiting_review"
    (line,) = refusals(caplog)
    assert line == (
        f"refused-step user={school.cast.teacher.pk} kind=connectiondeclaration "
        f"pk={declaration.pk} from=awaiting_review to=awaiting_review reason=move"
    )
    assert "Someone" not in line


def test_bringing_a_draft_into_force_is_refused_and_logged(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    _policy, _v1, draft = policy_with_versions(cast)
    caplog.set_level(logging.WARNING, logger=REFUSED)
    with pytest.raises(policy_actions.PolicyError):
        policy_actions.bring_into_force(draft, actor=cast.head, today=dt.date(2026, 1, 1))
    assert refusals(caplog) == [
        f"refused-step user={cast.head.pk} kind=policyversion pk={draft.pk} "
        "from=draft to=in_force reason=move"
    ]
