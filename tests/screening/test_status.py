"""The post check's controls report what the checker knows, not a constant."""

from __future__ import annotations

import datetime as dt

import pytest

from boundaries.policies.controls import control_status
from tests.cast import Cast
from tests.screening.conftest import invented_roster

TODAY = dt.date(2026, 3, 4)
CODES = ["post_check_conduct", "post_check_defamation", "post_check_contact_details"]


@pytest.mark.parametrize("code", CODES)
def test_without_a_roster_each_control_needs_attention(cast: Cast, code: str) -> None:
    status = control_status(code, cast.school, TODAY)
    assert status.state == "attention"


@pytest.mark.parametrize("code", CODES)
def test_with_the_roster_and_domains_each_control_is_in_place(cast: Cast, code: str) -> None:
    invented_roster(cast.school)
    status = control_status(code, cast.school, TODAY)
    assert status.state == "ok", status.summary
    assert status.summary


def test_the_contact_control_names_the_schools_domains(cast: Cast) -> None:
    invented_roster(cast.school)
    assert "rivington.example" in control_status(CODES[2], cast.school, TODAY).summary
