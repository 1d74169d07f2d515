from __future__ import annotations

import pytest

from boundaries.policies.catalogue import controls, model_structure, parent_number
from boundaries.policies.controls import suggest_controls
from tests.cast import POLICY_TREE


def test_the_model_structure_has_the_clauses_of_the_model_policy() -> None:
    numbers = [c.number for root in model_structure().clauses for c in root.walk()]
    assert numbers == POLICY_TREE


def test_the_issue_names_these_controls() -> None:
    for code in (
        "staff_acknowledgement",
        "induction",
        "connection_declarations",
        "pupil_contact_reports",
        "post_check_contact_details",
        "working_hours_report",
        "recruitment_attestation",
        "school_devices",
    ):
        assert code in controls()


def test_clause_4_2_carries_the_kcsie_conflict() -> None:
    clause = next(c for root in model_structure().clauses for c in root.walk() if c.number == "4.2")
    [conflict] = clause.conflicts
    assert "Keeping Children Safe in Education" in conflict["guidance"]


@pytest.mark.parametrize(
    ("number", "parent"),
    [("4.1(iv)", "4.1"), ("4.1", "4"), ("6(ii)", "6"), ("1", None), ("1.2.3", "1.2")],
)
def test_parent_number(number: str, parent: str | None) -> None:
    assert parent_number(number) == parent


@pytest.mark.parametrize(
    ("clause_text", "expected"),
    [
        (
            "Staff must not look up job applicants on social networking sites when recruiting.",
            "recruitment_attestation",
        ),
        (
            "Employees must never give pupils their personal mobile number or email address.",
            "post_check_contact_details",
        ),
        (
            "Staff should not use social media for personal purposes during working hours.",
            "working_hours_report",
        ),
        ("Make sure your privacy settings stop posts reaching a wider audience.", "privacy_check"),
        (
            "Staff related to parents must declare existing online friendships with them.",
            "connection_declarations",
        ),
        (
            "Breaches may lead to disciplinary action and, for gross misconduct, dismissal.",
            "concerns",
        ),
    ],
)
def test_suggestions_find_the_control_a_clause_is_about(clause_text: str, expected: str) -> None:
    suggested = [s.control.code for s in suggest_controls(clause_text)]
    assert expected in suggested, suggested


def test_unrelated_text_gets_no_confident_suggestion() -> None:
    assert suggest_controls("The car park closes at six in the evening on Fridays.") == []
