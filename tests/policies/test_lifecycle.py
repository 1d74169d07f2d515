from __future__ import annotations

import datetime as dt

import pytest

from boundaries.policies import actions
from boundaries.policies.models import PolicyVersion, VersionStatus, add_months
from tests.cast import Cast, policy_with_versions, small_tree


def test_a_version_keeps_the_documents_numbering_and_notes(cast: Cast) -> None:
    _, v1, _ = policy_with_versions(cast)
    numbers = list(v1.clauses.order_by("position").values_list("number", flat=True))
    assert numbers == ["1", "4", "4.1", "4.1(i)", "4.1(iv)", "4.2"]
    iv = v1.clauses.get(number="4.1(iv)")
    assert iv.anchor == "clause-4.1-iv"
    assert iv.parent is not None and iv.parent.number == "4.1"
    assert [n.kind for n in iv.notes.all()] == ["footnote"]


@pytest.mark.parametrize(
    ("ratified", "expected"),
    [
        (dt.date(2025, 11, 20), dt.date(2026, 11, 20)),
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28)),
    ],
)
def test_review_falls_due_twelve_months_after_ratification(
    cast: Cast, ratified: dt.date, expected: dt.date
) -> None:
    _, _, v2 = policy_with_versions(cast)
    v2 = actions.ratify(v2, date_ratified=ratified, minute_ref="M1", actor=cast.governor)
    assert v2.review_due() == expected


def test_a_set_review_date_wins(cast: Cast) -> None:
    _, _, v2 = policy_with_versions(cast)
    v2 = actions.ratify(
        v2,
        date_ratified=dt.date(2026, 1, 5),
        minute_ref="M1",
        next_review=dt.date(2026, 9, 1),
        actor=cast.governor,
    )
    assert v2.review_due() == dt.date(2026, 9, 1)


def test_bringing_a_version_into_force_supersedes_the_old_one(cast: Cast) -> None:
    policy, v1, v2 = policy_with_versions(cast)
    v2 = actions.ratify(
        v2, date_ratified=dt.date(2026, 10, 1), minute_ref="M9", actor=cast.governor
    )
    actions.bring_into_force(v2, actor=cast.head, today=dt.date(2026, 10, 2))
    v1.refresh_from_db()
    assert v1.status == VersionStatus.SUPERSEDED
    assert policy.version_in_force() == v2


@pytest.mark.parametrize(
    ("setup", "target"),
    [
        ("draft", VersionStatus.IN_FORCE),
        ("in_force", VersionStatus.RATIFIED),
        ("in_force", VersionStatus.DRAFT),
    ],
)
def test_illegal_moves_are_refused(cast: Cast, setup: str, target: str) -> None:
    _, v1, v2 = policy_with_versions(cast)
    version = v2 if setup == "draft" else v1

    def move() -> None:
        if target == VersionStatus.IN_FORCE:
            actions.bring_into_force(version, actor=cast.head, today=dt.date(2026, 1, 1))
        else:
            actions.ratify(
                version, date_ratified=dt.date(2026, 1, 1), minute_ref="x", actor=cast.head
            )

    with pytest.raises(actions.PolicyError):
        move()
    version.refresh_from_db()
    assert version.status == setup


def test_only_drafts_can_be_edited(cast: Cast) -> None:
    _, v1, v2 = policy_with_versions(cast)
    with pytest.raises(actions.PolicyError):
        actions.edit_clause(v1.clauses.get(number="1"), heading="x", text="y", actor=cast.head)
    before = v2.content_hash
    actions.edit_clause(
        v2.clauses.get(number="1"), heading="Purpose", text="New words.", actor=cast.head
    )
    v2.refresh_from_db()
    assert v2.content_hash != before


def test_a_school_adopts_a_published_model_and_shows_local_changes(cast: Cast) -> None:
    model_policy = actions.create_policy(
        cast.authority, title="Model", is_model=True, actor=cast.admin
    )
    draft = actions.create_version(model_policy, small_tree(), actor=cast.admin)
    with pytest.raises(actions.PolicyError):
        actions.adopt_model(cast.school, draft, actor=cast.head)
    model = actions.bring_into_force(draft, actor=cast.admin, today=dt.date(2026, 6, 1))
    adopted = actions.adopt_model(cast.school, model, actor=cast.head)
    assert adopted.adopted_from == model
    assert adopted.status == VersionStatus.DRAFT
    assert set(adopted.clauses.values_list("number", flat=True)) == set(
        model.clauses.values_list("number", flat=True)
    )
    conflict = adopted.clauses.get(number="4.2").conflicts.get()
    assert conflict.guidance == "KCSIE" and not conflict.is_decided
    assert "recruitment_attestation" in adopted.clauses.get(number="4.2").controls.values_list(
        "control", flat=True
    )


def test_a_school_cannot_adopt_another_authoritys_model(cast: Cast) -> None:
    from boundaries.core import actions as core_actions

    elsewhere = core_actions.create_organisation(
        name="Elsewhere", slug="elsewhere", kind="authority", actor=None
    )
    model_policy = actions.create_policy(elsewhere, title="Model", is_model=True, actor=None)
    model = actions.bring_into_force(
        actions.create_version(model_policy, small_tree(), actor=None),
        actor=None,
        today=dt.date(2026, 1, 1),
    )
    with pytest.raises(actions.PolicyError):
        actions.adopt_model(cast.school, model, actor=cast.head)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2026, 11, 15), 12, dt.date(2027, 11, 15)),
    ],
)
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_only_one_version_in_force_per_policy(cast: Cast) -> None:
    from django.db import IntegrityError, transaction

    _, _, v2 = policy_with_versions(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyVersion.objects.filter(pk=v2.pk).update(status=VersionStatus.IN_FORCE)
