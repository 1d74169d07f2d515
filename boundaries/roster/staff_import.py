"""Planning a staff import: match each row on MIS id, then work email, and compare."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models.functions import Lower

from boundaries.core.models import Organisation, StaffRecord, User
from boundaries.roster.columns import ColumnMap
from boundaries.roster.csvfile import RowError, parse_bool, parse_date, valid_email
from boundaries.roster.plans import Change, ImportPlan

COMPARED = (
    "mis_id",
    "full_name",
    "work_email",
    "job_title",
    "team",
    "start_date",
    "leaving_date",
    "works_with_children",
)
LIMITS = {"mis_id": 64, "full_name": 200, "work_email": 254, "job_title": 200, "team": 100}


def _cell(row: list[str], cmap: ColumnMap, name: str) -> str:
    index = cmap.index.get(name)
    return row[index] if index is not None and index < len(row) else ""


def full_name(row: list[str], cmap: ColumnMap) -> str:
    if cmap.has("full_name") and _cell(row, cmap, "full_name"):
        return _cell(row, cmap, "full_name")
    return " ".join(p for p in (_cell(row, cmap, "first_name"), _cell(row, cmap, "last_name")) if p)


def _parse_row(row: list[str], cmap: ColumnMap) -> tuple[dict[str, Any], list[str]]:
    problems: list[str] = []
    values: dict[str, Any] = {"full_name": full_name(row, cmap)}
    if not values["full_name"]:
        problems.append("the name is missing")
    for name in ("mis_id", "job_title", "team"):
        if cmap.has(name):
            values[name] = _cell(row, cmap, name)
    if not values.get("mis_id"):
        values.pop("mis_id", None)  # a blank id never clears the one on record
    if cmap.has("work_email"):
        email = _cell(row, cmap, "work_email").lower()
        if email and not valid_email(email):
            problems.append(f"{email!r} is not an email address")
        values["work_email"] = email
    for name in ("start_date", "leaving_date"):
        if cmap.has(name):
            try:
                values[name] = parse_date(_cell(row, cmap, name))
            except ValueError as error:
                problems.append(f"{name.replace('_', ' ')}: {error}")
    if cmap.has("works_with_children"):
        try:
            values["works_with_children"] = parse_bool(_cell(row, cmap, "works_with_children"))
        except ValueError as error:
            problems.append(f"works with children: {error}")
    if cmap.has("line_manager"):
        values["line_manager"] = _cell(row, cmap, "line_manager").lower()
    start, leave = values.get("start_date"), values.get("leaving_date")
    if start and leave and leave < start:
        problems.append("the leaving date is before the start date")
    if not values.get("mis_id") and not values.get("work_email"):
        problems.append("there is neither an MIS id nor a work email to match on")
    for name, limit in LIMITS.items():
        if len(str(values.get(name) or "")) > limit:
            problems.append(f"{name.replace('_', ' ')} is longer than {limit} characters")
    return values, problems


def _users_by_email(emails: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    batch = sorted(emails)
    for i in range(0, len(batch), 2000):
        for email, pk in (
            User.objects.annotate(le=Lower("email"))
            .filter(le__in=batch[i : i + 2000])
            .values_list("le", "pk")
        ):
            found[email] = pk
    return found


def plan_staff(
    organisation: Organisation,
    header_rows: tuple[list[str], Any],
    cmap: ColumnMap,
    plan: ImportPlan,
    *,
    full: bool,
    today: dt.date,
) -> ImportPlan:
    _, body = header_rows
    existing = {
        r["pk"]: r
        for r in StaffRecord.objects.filter(organisation=organisation).values(
            "pk", "user_id", "line_manager_id", *COMPARED
        )
    }
    by_mis = {r["mis_id"]: r for r in existing.values() if r["mis_id"]}
    by_email = {r["work_email"].lower(): r for r in existing.values() if r["work_email"]}
    parsed: list[tuple[int, dict[str, Any], dict[str, Any] | None]] = []
    seen_mis: dict[str, int] = {}
    seen_email: dict[str, int] = {}
    matched: dict[int, int] = {}
    for line, row in body:
        plan.rows += 1
        values, problems = _parse_row(row, cmap)
        mis_id, email = values.get("mis_id", ""), values.get("work_email", "")
        if mis_id and mis_id in seen_mis:
            problems.append(f"MIS id {mis_id!r} is also on line {seen_mis[mis_id]}")
        if email and email in seen_email:
            problems.append(f"{email} is also on line {seen_email[email]}")
        record = by_mis.get(mis_id) if mis_id else None
        if record is None and email:
            record = by_email.get(email)
            if record is not None and record["mis_id"] and mis_id and record["mis_id"] != mis_id:
                other = by_mis.get(mis_id)
                if other is not None:
                    problems.append(f"{email} belongs to a different MIS id ({record['mis_id']})")
        if record is not None and record["pk"] in matched:
            problems.append(f"this is the same person as line {matched[record['pk']]}")
        if problems:
            plan.errors.extend(RowError(line, p) for p in problems)
        if mis_id:
            seen_mis.setdefault(mis_id, line)
        if email:
            seen_email.setdefault(email, line)
        if record is not None:
            matched.setdefault(record["pk"], line)
        parsed.append((line, values, record))
    users = _users_by_email({v["work_email"] for _, v, _ in parsed if v.get("work_email")})
    keys = _manager_keys(parsed, existing)
    for line, values, record in parsed:
        manager = values.pop("line_manager", None)
        if manager:
            if manager not in keys:
                plan.errors.append(
                    RowError(line, f"line manager {manager!r} is not in the file or the staff list")
                )
            values["line_manager"] = manager
        user_id = users.get(values.get("work_email", ""))
        if record is None:
            values.setdefault("works_with_children", True)
            plan.new.append({**values, "user_id": user_id, "_line": line})
            continue
        diff = {
            k: v
            for k, v in values.items()
            if k != "line_manager" and k in COMPARED and record[k] != v
        }
        if user_id and record["user_id"] is None:
            diff["user_id"] = user_id
        if manager and keys.get(manager) != record["line_manager_id"]:
            diff["line_manager"] = manager
        if cmap.has("line_manager") and not manager and record["line_manager_id"]:
            diff["line_manager"] = ""
        if diff:
            before = {k: record.get(k if k != "line_manager" else "line_manager_id") for k in diff}
            plan.changes.append(Change(record["pk"], values["full_name"], diff, before))
        else:
            plan.unchanged += 1
    if full:
        for pk, record in existing.items():
            current = record["leaving_date"] is None or record["leaving_date"] > today
            if pk not in matched and current:
                plan.leavers.append(
                    Change(
                        pk,
                        record["full_name"],
                        {"leaving_date": today},
                        {"leaving_date": record["leaving_date"]},
                    )
                )
    plan.links = {"keys": keys}
    return plan


def _manager_keys(
    parsed: list[tuple[int, dict[str, Any], dict[str, Any] | None]],
    existing: dict[int, dict[str, Any]],
) -> dict[str, int | None]:
    """MIS ids and emails a line manager may be named by -> existing pk (None: a new row)."""
    keys: dict[str, int | None] = {}
    for record in existing.values():
        for key in (record["mis_id"], record["work_email"]):
            if key:
                keys[key.lower()] = record["pk"]
    for _, values, match in parsed:
        for key in (values.get("mis_id", ""), values.get("work_email", "")):
            if key:
                keys[key.lower()] = match["pk"] if match else None
    return keys
