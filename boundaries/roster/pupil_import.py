"""Planning pupil and carer imports: matched on MIS id, which both must have."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from boundaries.core.models import Organisation
from boundaries.roster.columns import ColumnMap
from boundaries.roster.csvfile import RowError, parse_date
from boundaries.roster.models import Carer, Pupil
from boundaries.roster.plans import Change, ImportPlan
from boundaries.roster.staff_import import _cell, full_name

PUPIL_FIELDS = ("full_name", "preferred_name", "date_of_birth", "year_group", "leaving_date")
LIMITS = {"mis_id": 64, "full_name": 200, "preferred_name": 100, "year_group": 20}
SEPARATORS = re.compile(r"[;|]")


def _common(row: list[str], cmap: ColumnMap, seen: dict[str, int]) -> tuple[str, str, list[str]]:
    problems = []
    mis_id = _cell(row, cmap, "mis_id")
    name = full_name(row, cmap)
    if not mis_id:
        problems.append("the MIS id is missing")
    elif mis_id in seen:
        problems.append(f"MIS id {mis_id!r} is also on line {seen[mis_id]}")
    if not name:
        problems.append("the name is missing")
    return mis_id, name, problems


def plan_pupils(
    organisation: Organisation,
    body: Any,
    cmap: ColumnMap,
    plan: ImportPlan,
    *,
    full: bool,
    today: dt.date,
) -> ImportPlan:
    existing = {
        r["mis_id"]: r
        for r in Pupil.objects.filter(organisation=organisation).values(
            "pk", "mis_id", *PUPIL_FIELDS
        )
    }
    seen: dict[str, int] = {}
    for line, row in body:
        plan.rows += 1
        mis_id, name, problems = _common(row, cmap, seen)
        values: dict[str, Any] = {"full_name": name}
        for key in ("preferred_name", "year_group"):
            if cmap.has(key):
                values[key] = _cell(row, cmap, key)
        for key in ("date_of_birth", "leaving_date"):
            if cmap.has(key):
                try:
                    values[key] = parse_date(_cell(row, cmap, key))
                except ValueError as error:
                    problems.append(f"{key.replace('_', ' ')}: {error}")
        born = values.get("date_of_birth")
        if born and born > today:
            problems.append("the date of birth is in the future")
        for key, limit in LIMITS.items():
            if len(str(values.get(key, mis_id if key == "mis_id" else "") or "")) > limit:
                problems.append(f"{key.replace('_', ' ')} is longer than {limit} characters")
        if mis_id:
            seen.setdefault(mis_id, line)
        if problems:
            plan.errors.extend(RowError(line, p) for p in problems)
            continue
        record = existing.get(mis_id)
        if record is None:
            plan.new.append({"mis_id": mis_id, **values})
            continue
        diff = {k: v for k, v in values.items() if record[k] != v}
        if diff:
            plan.changes.append(Change(record["pk"], name, diff, {k: record[k] for k in diff}))
        else:
            plan.unchanged += 1
    if full:
        for mis_id, record in existing.items():
            current = record["leaving_date"] is None or record["leaving_date"] > today
            if mis_id not in seen and current:
                plan.leavers.append(
                    Change(
                        record["pk"],
                        record["full_name"],
                        {"leaving_date": today},
                        {"leaving_date": record["leaving_date"]},
                    )
                )
    return plan


def plan_carers(
    organisation: Organisation, body: Any, cmap: ColumnMap, plan: ImportPlan
) -> ImportPlan:
    pupils = dict(Pupil.objects.filter(organisation=organisation).values_list("mis_id", "pk"))
    existing = {
        r["mis_id"]: r
        for r in Carer.objects.filter(organisation=organisation).values("pk", "mis_id", "full_name")
    }
    linked: dict[int, set[int]] = {}
    for carer_id, pupil_id in Carer.pupils.through.objects.filter(
        carer__organisation=organisation
    ).values_list("carer_id", "pupil_id"):
        linked.setdefault(carer_id, set()).add(pupil_id)
    seen: dict[str, int] = {}
    for line, row in body:
        plan.rows += 1
        mis_id, name, problems = _common(row, cmap, seen)
        wanted: set[int] = set()
        for ref in filter(None, (p.strip() for p in SEPARATORS.split(_cell(row, cmap, "pupils")))):
            if ref not in pupils:
                problems.append(f"pupil {ref!r} is not on the roster; import pupils first")
            else:
                wanted.add(pupils[ref])
        if len(mis_id) > 64 or len(name) > 200:
            problems.append("the MIS id or name is too long")
        if mis_id:
            seen.setdefault(mis_id, line)
        if problems:
            plan.errors.extend(RowError(line, p) for p in problems)
            continue
        record = existing.get(mis_id)
        values: dict[str, Any] = {"full_name": name}
        if cmap.has("pupils"):
            values["pupils"] = sorted(wanted)
        if record is None:
            plan.new.append({"mis_id": mis_id, **values})
            continue
        before = {"full_name": record["full_name"], "pupils": sorted(linked.get(record["pk"], ()))}
        diff = {k: v for k, v in values.items() if before[k] != v}
        if diff:
            plan.changes.append(Change(record["pk"], name, diff, {k: before[k] for k in diff}))
        else:
            plan.unchanged += 1
    return plan
