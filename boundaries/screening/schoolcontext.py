"""The post checker's context for one school, built from the database and cached.

The context names everyone the checker should recognise: pupils (with preferred names),
former pupils (with dates of birth, for clause 4.1(v)), parents and carers, and staff,
plus the school's names, email domains and working hours.

Caching, per organisation and process, in three layers (figures in docs/decisions/0007):
- a saved or deleted roster row, staff record, calendar or alias list drops the entry at
  once (signals, connected in the app's ready());
- otherwise an entry is trusted for MAX_AGE seconds without touching the database, which
  bounds how stale a bulk update (which sends no signal) or another process's write can be;
- after that the rows are read again (~40 ms for 1,000 pupils) and the expensive part,
  building the engine's name index (~270 ms), is redone only when their digest changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from boundaries.core.models import Organisation, StaffRecord, WorkingCalendar
from boundaries.roster.models import Carer, Pupil
from boundaries.screening.models import ScreeningSettings
from engines.postcheck import Context

MAX_CACHED = 64
MAX_AGE = 30.0


@dataclass
class _Entry:
    digest: str
    context: Context
    today: dt.date
    checked_at: float


_lock = threading.Lock()
_cache: OrderedDict[int, _Entry] = OrderedDict()


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
    organisation: Organisation,
    today: dt.date,
    calendar: WorkingCalendar | None = None,
    *,
    max_age: float = MAX_AGE,
) -> Context:
    """The school's context, reusing the built name index while the rows are unchanged."""
    now = time.monotonic()
    with _lock:
        entry = _cache.get(organisation.pk)
        if entry is not None and entry.today == today and now - entry.checked_at < max_age:
            _cache.move_to_end(organisation.pk)
            return entry.context
    data = context_data(organisation, today, calendar)
    digest = digest_of(data)
    if entry is not None and entry.digest == digest:
        with _lock:
            entry.checked_at, entry.today = now, today
        return entry.context
    context = Context.from_dict(data)
    _ = context.name_index
    with _lock:
        _cache[organisation.pk] = _Entry(digest, context, today, now)
        _cache.move_to_end(organisation.pk)
        while len(_cache) > MAX_CACHED:
            _cache.popitem(last=False)
    return context


def forget(organisation_id: int | None) -> None:
    """Drop one organisation's entry: its roster, staff, calendar or aliases changed."""
    with _lock:
        _cache.pop(organisation_id or 0, None)


def forget_cached() -> None:
    """For tests and benchmarks: start from an empty cache."""
    with _lock:
        _cache.clear()


def _on_change(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    forget(
        instance.pk
        if isinstance(instance, Organisation)
        else getattr(instance, "organisation_id", None)
    )


def connect_signals() -> None:
    for model in (Pupil, Carer, StaffRecord, WorkingCalendar, ScreeningSettings, Organisation):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"screening-{model.__name__}")
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"screening-del-{model.__name__}"
        )
