from __future__ import annotations

import pytest

from boundaries import demo
from boundaries.core.models import Membership, Organisation, StaffRecord
from boundaries.core.roles import Role
from boundaries.policies.models import PolicyVersion, VersionStatus


@pytest.fixture
def built(db: None) -> dict[str, int]:
    return demo.build()


def test_an_authority_with_three_schools_one_of_them_rivington(built: dict[str, int]) -> None:
    authority = Organisation.objects.get(slug="northmoor")
    schools = set(Organisation.objects.filter(parent=authority).values_list("name", flat=True))
    assert len(schools) == 3
    assert "Rivington Foundation Primary School" in schools


def test_about_forty_staff_at_rivington_and_an_account_for_each_role(built: dict[str, int]) -> None:
    assert 35 <= StaffRecord.objects.filter(organisation__slug="rivington").count() <= 45
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)


def test_rivington_has_a_policy_in_force_adopted_from_the_published_model(
    built: dict[str, int],
) -> None:
    version = PolicyVersion.objects.get(
        policy__organisation__slug="rivington", status=VersionStatus.IN_FORCE
    )
    assert version.adopted_from is not None
    assert version.adopted_from.policy.is_model
    assert version.clauses.filter(number="4.1(iv)").exists()
    assert version.clauses.get(number="4.2").conflicts.exists()
    assert (
        version.clauses.get(number="4.1(iv)")
        .controls.filter(control="connection_declarations")
        .exists()
    )


def test_building_twice_changes_nothing(built: dict[str, int]) -> None:
    assert sum(built.values()) > 0
    assert not any(demo.build().values())


def test_a_ratification_known_only_to_the_month_is_shown_as_a_month(built: dict[str, int]) -> None:
    from tests.test_cli import SEED

    if not SEED.is_file():
        pytest.skip("../shared is absent: Rivington adopts the shipped structure instead")
    version = PolicyVersion.objects.get(
        policy__organisation__slug="rivington", status=VersionStatus.IN_FORCE
    )
    assert (version.date_ratified.isoformat(), version.date_ratified_precision) == (
        "2023-11-01",
        "month",
    )
