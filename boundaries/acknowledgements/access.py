"""A person reaches their own staff record and assignments only; anything else is a 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import F
from django.http import Http404

from boundaries.acknowledgements.models import Assignment, Induction
from boundaries.core import sql
from boundaries.core.access import (
    after_organisation,
    checked,
    organisation_columns,
    organisation_from,
    organisation_joins,
)
from boundaries.core.models import Organisation, StaffRecord, User
from boundaries.policies.models import PolicyVersion, VersionStatus

# A current record (no leaving date) first, then the oldest leaving date, then the newest row:
# written out because databases disagree on where NULL sorts.
NEWEST_RECORD = (F("leaving_date").asc(nulls_first=True), "-pk")


def own_staff_record(user: User, organisation: Organisation) -> StaffRecord:
    """The signed-in person's staff record at this school (the newest, if re-employed)."""
    record = (
        StaffRecord.objects.filter(user=user, organisation=organisation)
        .order_by(*NEWEST_RECORD)
        .first()
    )
    if record is None:
        raise Http404("You have no staff record at this school")
    return record


def own_assignment(user: User, organisation: Organisation, pk: int) -> Assignment:
    assignment = (
        Assignment.objects.select_related("version__policy", "staff")
        .filter(pk=pk, staff__user=user, staff__organisation=organisation)
        .first()
    )
    if assignment is None:
        raise Http404("No such assignment")
    return assignment


def induction_for(organisation: Organisation, pk: int) -> Induction:
    """For the headteacher's induction page; the view has checked the role."""
    induction = (
        Induction.objects.select_related("staff")
        .filter(pk=pk, staff__organisation=organisation)
        .first()
    )
    if induction is None:
        raise Http404("No such induction")
    return induction


@dataclass(frozen=True)
class ToRead:
    """One line of "Policies to read": an open assignment of a version in force."""

    pk: int
    title: str
    number: int
    material_change: bool
    due_on: dt.date


@cache
def _to_read_sql(vendor: str) -> str:
    def r(name: str) -> str:
        return sql.column(StaffRecord, "r", name)

    def s(name: str) -> str:
        return sql.column(StaffRecord, "s", name)

    def a(name: str) -> str:
        return sql.column(Assignment, "a", name)

    def v(name: str) -> str:
        return sql.column(PolicyVersion, "v", name)

    def w(name: str) -> str:
        return sql.column(PolicyVersion, "w", name)

    newest = (
        f"SELECT {r('id')} FROM {sql.table(StaffRecord)} r "  # noqa: S608  # nosec B608 - names from model metadata
        f"WHERE {r('user')} = %s AND {r('organisation')} = {sql.column(Organisation, 'o', 'id')} "
        f"ORDER BY ({r('leaving_date')} IS NOT NULL), {r('leaving_date')}, {r('id')} DESC LIMIT 1"
    )
    # From the one staff record to its own open assignments, each checked against its
    # version: a LEFT JOIN onto a joined subquery made SQLite build the list of every open
    # assignment in the database first, on every visit (docs/decisions/0009).
    in_force = (
        f"SELECT 1 FROM {sql.table(PolicyVersion)} w "  # noqa: S608  # nosec B608 - names from model metadata
        f"WHERE {w('id')} = {a('version')} AND {w('status')} = %s"
    )
    return (
        f"SELECT {organisation_columns()}, {s('id')}, {a('id')}, {v('title')}, {v('number')}, "  # nosec B608 - names from model metadata
        f"{a('material_change')}, {a('due_on')} {organisation_joins()} "
        f"LEFT JOIN {sql.table(StaffRecord)} s ON {s('id')} = ({newest}) "
        f"LEFT JOIN {sql.table(Assignment)} a ON {a('staff')} = {s('id')} "
        f"AND {a('completed_at')} IS NULL AND EXISTS ({in_force}) "
        f"LEFT JOIN {sql.table(PolicyVersion)} v ON {v('id')} = {a('version')} "
        f"WHERE {sql.column(Organisation, 'o', 'slug')} = %s ORDER BY {a('due_on')}, {a('id')}"
    )


def to_read_at(user: User, slug: str, action: str) -> tuple[Organisation, list[ToRead]]:
    """The school, if the person may `action` there, and what they still have to read
    there, soonest due first: one hand-written statement for the page every member of
    staff opens (core/sql.py says why; on PostgreSQL each statement is also a round trip).
    The permission is checked before anything is used; a school they may not open and a
    school where they have no staff record are both a 404, as `organisation_for` and
    `own_staff_record` answer."""
    found = sql.rows(_to_read_sql(connection.vendor), [user.pk, VersionStatus.IN_FORCE, slug])
    organisation, _rest = organisation_from(found[0]) if found else (None, ())
    organisation = checked(user, organisation, action)
    to_read = []
    for row in found:
        staff, pk, title, number, change, due_on = after_organisation(row)
        if staff is None:
            raise Http404("You have no staff record at this school")
        if pk is not None:
            to_read.append(
                ToRead(
                    pk=pk,
                    title=title,
                    number=number,
                    material_change=sql.value(Assignment, "material_change", change),
                    due_on=sql.value(Assignment, "due_on", due_on),
                )
            )
    return organisation, to_read
