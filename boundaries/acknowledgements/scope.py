"""Who must read the policies in force: the school's setting, as a query.

Default scope is all current staff. Clause 6(i) asks the policy be shared with every
member of staff who comes into contact with children; a school may narrow the scope to
`works_with_children` (every imported record is marked so unless the export says not).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from boundaries.acknowledgements.models import DEFAULTS, AcknowledgementSettings, Scope
from boundaries.core.models import Organisation, StaffRecord


def settings_for(organisation: Organisation) -> AcknowledgementSettings:
    found = AcknowledgementSettings.objects.filter(organisation=organisation).first()
    return found or AcknowledgementSettings(
        organisation=organisation,
        scope=DEFAULTS.scope,
        due_days=DEFAULTS.due_days,
        reminder_every_days=DEFAULTS.reminder_every_days,
        pass_mark=DEFAULTS.pass_mark,
    )


def current_q(today: dt.date, prefix: str = "") -> Q:
    return (
        Q(**{f"{prefix}start_date__isnull": True}) | Q(**{f"{prefix}start_date__lte": today})
    ) & (Q(**{f"{prefix}leaving_date__isnull": True}) | Q(**{f"{prefix}leaving_date__gt": today}))


def not_left_q(today: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}leaving_date__isnull": True}) | Q(**{f"{prefix}leaving_date__gt": today})


def scope_q(prefix: str = "") -> Q:
    """In scope under each school's own setting, in one condition (no row: all staff)."""
    narrowed = Q(
        **{f"{prefix}organisation__acknowledgement_settings__scope": Scope.WORKS_WITH_CHILDREN}
    )
    return ~narrowed | Q(**{f"{prefix}works_with_children": True})


def in_scope(organisation: Organisation, today: dt.date) -> QuerySet[StaffRecord]:
    """Current staff in scope today."""
    return StaffRecord.objects.filter(current_q(today), scope_q(), organisation=organisation)


def due_scope(organisation: Organisation, today: dt.date) -> QuerySet[StaffRecord]:
    """Staff to assign: in scope and not left, including starters with a future start date."""
    return StaffRecord.objects.filter(not_left_q(today), scope_q(), organisation=organisation)
