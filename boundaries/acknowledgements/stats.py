"""Counts for dashboards, reports and the clause-by-clause page, in a fixed number of
queries however many schools and staff there are.

A person in scope has acknowledged when every assignment of a version in force is done
(with a minor change the assignment moved to the new version, so reading the previous
one still counts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet

from boundaries.acknowledgements.actions import academic_year
from boundaries.acknowledgements.models import (
    AcknowledgementSettings,
    Assignment,
    Induction,
    PrivacyCheck,
    Scope,
)
from boundaries.acknowledgements.scope import current_q, not_left_q, scope_q
from boundaries.core.models import Organisation, StaffRecord
from boundaries.policies.models import VersionStatus


def percent(part: int, whole: int) -> int | None:
    return None if whole == 0 else int(100 * part / whole)


@dataclass
class Rate:
    in_scope: int = 0
    assigned: int = 0
    open: int = 0
    overdue: int = 0
    not_inducted: int = 0
    privacy_done: int = 0

    @property
    def acknowledged(self) -> int:
        return self.assigned - self.open

    @property
    def percent(self) -> int | None:
        return percent(self.acknowledged, self.in_scope)

    @property
    def privacy_percent(self) -> int | None:
        return percent(self.privacy_done, self.in_scope)

    def add(self, other: Rate) -> None:
        for name in ("in_scope", "assigned", "open", "overdue", "not_inducted", "privacy_done"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _org_ids(organisations: QuerySet[Organisation] | Iterable[Organisation]) -> list[int]:
    if isinstance(organisations, QuerySet):
        return list(organisations.values_list("pk", flat=True))
    return [o.pk for o in organisations]


def rates(
    organisations: QuerySet[Organisation] | Iterable[Organisation], today: dt.date
) -> dict[int, Rate]:
    """organisation id -> Rate, for every organisation given (six queries).

    The schools that narrowed their scope are fetched first, so the counting queries do
    not join organisations and settings: the planner has less to get wrong at county scale.
    """
    result: dict[int, Rate] = {org_id: Rate() for org_id in _org_ids(organisations)}
    ids: Any = (
        organisations.values("pk") if isinstance(organisations, QuerySet) else list(result)
    )  # a subquery for a queryset: no long parameter lists
    narrowed = list(
        AcknowledgementSettings.objects.filter(
            organisation_id__in=ids, scope=Scope.WORKS_WITH_CHILDREN
        ).values_list("organisation_id", flat=True)
    )

    def in_scope(prefix: str = "") -> Q:
        return current_q(today, prefix) & (
            Q(**{f"{prefix}works_with_children": True})
            | ~Q(**{f"{prefix}organisation_id__in": narrowed})
        )

    for org_id, n in (
        StaffRecord.objects.filter(in_scope(), organisation_id__in=ids)
        .values_list("organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        result[org_id].in_scope = n
    open_q = Q(completed_at__isnull=True)
    for org_id, assigned, open_, overdue in (
        Assignment.objects.filter(
            in_scope("staff__"),
            staff__organisation_id__in=ids,
            version__status=VersionStatus.IN_FORCE,
        )
        .values_list("staff__organisation_id")
        .annotate(
            a=Count("staff_id", distinct=True),
            o=Count("staff_id", distinct=True, filter=open_q),
            d=Count("staff_id", distinct=True, filter=open_q & Q(due_on__lt=today)),
        )
        .order_by()
    ):
        rate = result[org_id]
        rate.assigned, rate.open, rate.overdue = assigned, open_, overdue
    for org_id, n in (
        Induction.objects.filter(
            not_left_q(today, "staff__"), completed_on__isnull=True, staff__organisation_id__in=ids
        )
        .values_list("staff__organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        result[org_id].not_inducted = n
    for org_id, n in (
        PrivacyCheck.objects.filter(
            in_scope("staff__"), year=academic_year(today), staff__organisation_id__in=ids
        )
        .values_list("staff__organisation_id")
        .annotate(n=Count("staff_id", distinct=True))
        .order_by()
    ):
        result[org_id].privacy_done = n
    return result


def rate_of(organisation: Organisation, today: dt.date) -> Rate:
    return rates([organisation], today).get(organisation.pk, Rate())


@dataclass
class PersonRow:
    pk: int
    name: str
    team: str
    job_title: str
    assigned: int
    open: int
    overdue: int
    earliest_due: dt.date | None
    last_acknowledged: dt.datetime | None

    @property
    def acknowledged(self) -> bool:
        return self.assigned > 0 and self.open == 0


@dataclass
class Group:
    label: str
    rate: Rate = field(default_factory=Rate)


def people(organisation: Organisation, today: dt.date) -> list[PersonRow]:
    """Each person in scope with their reading, in two queries."""
    open_q = Q(completed_at__isnull=True)
    counts: dict[int, dict[str, Any]] = {
        row["staff_id"]: dict(row)
        for row in Assignment.objects.filter(
            staff__organisation=organisation, version__status=VersionStatus.IN_FORCE
        )
        .values("staff_id")
        .annotate(
            a=Count("pk"),
            o=Count("pk", filter=open_q),
            d=Count("pk", filter=open_q & Q(due_on__lt=today)),
            due=Min("due_on", filter=open_q),
            last=Max("completed_at"),
        )
        .order_by()
    }
    rows = []
    for pk, name, team, job in (
        StaffRecord.objects.filter(current_q(today), scope_q(), organisation=organisation)
        .order_by("full_name")
        .values_list("pk", "full_name", "team", "job_title")
    ):
        c: dict[str, Any] = counts.get(pk, {})
        rows.append(
            PersonRow(
                pk,
                name,
                team or "No team",
                job or "No job title",
                c.get("a", 0),
                c.get("o", 0),
                c.get("d", 0),
                c.get("due"),
                c.get("last"),
            )
        )
    return rows


def school_rate(organisation: Organisation, rows: list[PersonRow], today: dt.date) -> Rate:
    """A school's Rate from its `people` rows (so the headline is the total of the team
    table) and two counts: three queries fewer than `rate_of` when the rows are at hand.
    Equal to `rate_of` by construction; tests/reports holds them side by side."""
    rate = Rate()
    for row in rows:
        rate.add(
            Rate(
                in_scope=1,
                assigned=1 if row.assigned else 0,
                open=1 if row.open else 0,
                overdue=1 if row.overdue else 0,
            )
        )
    rate.not_inducted = Induction.objects.filter(
        not_left_q(today, "staff__"), completed_on__isnull=True, staff__organisation=organisation
    ).count()
    rate.privacy_done = (
        PrivacyCheck.objects.filter(
            current_q(today, "staff__"),
            scope_q("staff__"),
            year=academic_year(today),
            staff__organisation=organisation,
        )
        .values("staff_id")
        .distinct()
        .count()
    )
    return rate


def grouped(rows: list[PersonRow], key: str) -> list[Group]:
    groups: dict[str, Group] = {}
    for row in rows:
        label = getattr(row, key)
        group = groups.setdefault(label, Group(label))
        group.rate.add(
            Rate(
                in_scope=1,
                assigned=1 if row.assigned else 0,
                open=1 if row.open else 0,
                overdue=1 if row.overdue else 0,
            )
        )
    return sorted(groups.values(), key=lambda g: g.label)
