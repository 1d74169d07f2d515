"""The post checker's context for one school, built from the database and cached.

The context names everyone the checker should recognise: pupils (with preferred names),
former pupils (with dates of birth, for clause 4.1(v)), parents and carers, and staff,
plus the school's names, email domains and working hours.

Caching: the rows are read on every check (a few indexed queries), and their digest is the
cache key. The expensive part, building the engine's name index, happens only when the
digest changes: so an import, an edit or a bulk update of the roster is seen at once,
with no signal to miss.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any

from boundaries.core.models import Organisation, StaffRecord, WorkingCalendar
from boundaries.roster.models import Carer, Pupil
from boundaries.screening.models import ScreeningSettings
from engines.postcheck import Context

MAX_CACHED = 64

_lock = threading.Lock()
_cache: OrderedDict[int, tuple[str, Context]] = OrderedDict()


def _hours(calendar: WorkingCalendar | None) -> dict[str, Any] | None:
    if calendar is None:
        return None
    engine = calendar.as_engine_dict()
    return {k: engine[k] for k in ("weekdays", "start", "end", "breaks")}


def _people(organisation: Organisation, today: dt.date) -> list[dict[str, Any]]:
    people: list[dict[str, Any]] = []
    pupils = Pupil.objects.filter(organisation=organisation).values_list(
        "full_name", "preferred_name", "date_of_birth", "leaving_date"
    )
    for name, preferred, born, left in pupils.order_by("pk"):
        former = left is not None and left <= today
        person: dict[str, Any] = {
            "name": name,
            "role": "former_pupil" if former else "pupil",
            "aliases": [preferred] if preferred.strip() else [],
        }
        if born is not None:
            person["date_of_birth"] = born.isoformat()
        people.append(person)
    for (name,) in Carer.objects.filter(organisation=organisation).values_list("full_name"):
        people.append({"name": name, "role": "parent"})
    staff = StaffRecord.objects.filter(organisation=organisation).order_by("pk")
    for record in staff.only("full_name", "start_date", "leaving_date"):
        if record.is_current(today):
            people.append({"name": record.full_name, "role": "staff"})
    return [p for p in people if p["name"].strip()]


def context_data(
    organisation: Organisation, today: dt.date, calendar: WorkingCalendar | None = None
) -> dict[str, Any]:
    """The engine's context as plain data (the same shape as the CLI's --context file)."""
    settings = ScreeningSettings.objects.filter(organisation=organisation).first()
    if calendar is None:
        calendar = WorkingCalendar.objects.filter(organisation=organisation).first()
    return {
        "organisation": {
            "name": organisation.name,
            "aliases": list(settings.aliases) if settings else [],
            "domains": [d for d in organisation.email_domains if isinstance(d, str) and d],
        },
        "working_hours": _hours(calendar),
        "timezone": organisation.timezone,
        "people": _people(organisation, today),
    }


def digest_of(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def context_for(
    organisation: Organisation, today: dt.date, calendar: WorkingCalendar | None = None
) -> Context:
    """The school's context, reusing the built name index while the rows are unchanged."""
    data = context_data(organisation, today, calendar)
    digest = digest_of(data)
    with _lock:
        cached = _cache.get(organisation.pk)
        if cached is not None and cached[0] == digest:
            _cache.move_to_end(organisation.pk)
            return cached[1]
    context = Context.from_dict(data)
    _ = context.name_index
    with _lock:
        _cache[organisation.pk] = (digest, context)
        _cache.move_to_end(organisation.pk)
        while len(_cache) > MAX_CACHED:
            _cache.popitem(last=False)
    return context


def forget_cached() -> None:
    """For tests and benchmarks: start from an empty cache."""
    with _lock:
        _cache.clear()
