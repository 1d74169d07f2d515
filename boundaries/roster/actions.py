"""Imports of staff, pupils and carers: one transaction each, all or nothing, one audit event.

A plan is worked out and applied inside the same transaction, so what the dry run showed
is what is written unless the data changed in between (then the new plan is what runs).
Staff missing from a full export are marked as leavers, never deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from boundaries.core import audit
from boundaries.core.models import Organisation, StaffRecord, User
from boundaries.roster import csvfile
from boundaries.roster.bulk import column_of, insert_rows, update_grouped
from boundaries.roster.columns import ColumnError, map_header
from boundaries.roster.models import Carer, Pupil
from boundaries.roster.plans import ImportPlan
from boundaries.roster.pupil_import import plan_carers, plan_pupils
from boundaries.roster.staff_import import plan_staff


class ImportRefused(ValueError):
    """The whole file is refused (unreadable, or no usable header)."""


Progress = Callable[[str], None]
"""Told each phase as it starts: "parse", "plan", "write", then "commit" (the CLI shows them)."""

StaffAddedHandler = Callable[[Organisation, list[StaffRecord], User | None, dt.date], None]
_STAFF_ADDED: list[StaffAddedHandler] = []


def on_staff_added(handler: StaffAddedHandler) -> StaffAddedHandler:
    """Register a handler called, inside the import's transaction, with the new records."""
    if handler not in _STAFF_ADDED:
        _STAFF_ADDED.append(handler)
    return handler


def import_file(
    organisation: Organisation,
    kind: str,
    data: bytes,
    *,
    filename: str,
    preset: str = "generic",
    columns: dict[str, list[str]] | None = None,
    full: bool = True,
    dry_run: bool,
    actor: User | None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Plan an import and, unless it is a dry run, a row is bad or nothing would change,
    apply it.

    The whole file is parsed before the transaction opens, so a file that breaks halfway
    is refused without touching the database, and the transaction lasts only as long as
    planning and writing.
    """
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    told = progress or (lambda phase: None)
    told("parse")
    try:
        text = csvfile.decode(data)
        header, lines = csvfile.rows(text)
        cmap = map_header(kind, header, preset, columns)
        body = list(lines)
    except (csvfile.FileRefused, ColumnError) as error:
        raise ImportRefused(str(error)) from None
    plan = ImportPlan(kind=kind, filename=filename, sha256=csvfile.sha256(data))
    told("plan")
    with transaction.atomic():
        if kind == "staff":
            plan_staff(organisation, (header, body), cmap, plan, full=full, today=today)
        elif kind == "pupils":
            plan_pupils(organisation, body, cmap, plan, full=full, today=today)
        else:
            plan_carers(organisation, body, cmap, plan)
        if dry_run or not plan.ok or not plan.changes_anything:
            return plan  # an import that changes nothing writes nothing, not even its event
        told("write")
        _apply(organisation, plan, actor, today)
        audit.record(
            f"roster.{kind}_imported",
            actor=actor,
            organisation=organisation,
            after={
                **plan.counts(),
                "filename": filename,
                "sha256": plan.sha256,
                "preset": preset,
                "full": full,
            },
            now=now,
        )
        told("commit")
    return plan


def _apply(
    organisation: Organisation, plan: ImportPlan, actor: User | None, today: dt.date
) -> None:
    if plan.kind == "staff":
        _apply_staff(organisation, plan, actor, today)
    elif plan.kind == "pupils":
        _apply_pupils(organisation, plan)
    else:
        _apply_carers(organisation, plan)


PUPIL_COLUMNS = (
    "mis_id",
    "full_name",
    "preferred_name",
    "date_of_birth",
    "year_group",
    "leaving_date",
)


def _apply_pupils(organisation: Organisation, plan: ImportPlan) -> None:
    """New pupils as plain rows (a whole authority's roster in seconds), changes grouped.

    A column the file does not have gets the model's default, as `Pupil(**row)` would.
    """
    defaults = {name: column_of(Pupil, name).get_default() for name in PUPIL_COLUMNS}
    insert_rows(
        Pupil,
        ("organisation", *PUPIL_COLUMNS),
        (
            (organisation.pk, *(row.get(name, defaults[name]) for name in PUPIL_COLUMNS))
            for row in plan.new
        ),
    )
    update_grouped(Pupil, ((c.pk, c.fields) for c in [*plan.changes, *plan.leavers]))


def _apply_carers(organisation: Organisation, plan: ImportPlan) -> None:
    through = Carer.pupils.through
    for row in plan.new:
        pupils = row.pop("pupils", [])
        carer = Carer.objects.create(organisation=organisation, **row)
        row["pupils"] = pupils
        through.objects.bulk_create([through(carer_id=carer.pk, pupil_id=p) for p in pupils])
    for change in plan.changes:
        if "full_name" in change.fields:
            Carer.objects.filter(pk=change.pk).update(full_name=change.fields["full_name"])
        if "pupils" in change.fields:
            through.objects.filter(carer_id=change.pk).delete()
            through.objects.bulk_create(
                [through(carer_id=change.pk, pupil_id=p) for p in change.fields["pupils"]]
            )


def _update_in_chunks(pks: list[int], **values: Any) -> None:
    for i in range(0, len(pks), 2000):
        StaffRecord.objects.filter(pk__in=pks[i : i + 2000]).update(**values)


def _apply_staff(
    organisation: Organisation, plan: ImportPlan, actor: User | None, today: dt.date
) -> None:
    keys: dict[str, int | None] = dict(plan.links["keys"])
    created: list[StaffRecord] = []
    managers: list[tuple[StaffRecord, str]] = []
    for row in plan.new:
        values = {k: v for k, v in row.items() if not k.startswith("_") and k != "line_manager"}
        record = StaffRecord(organisation=organisation, **values)
        created.append(record)
        if row.get("line_manager"):
            managers.append((record, row["line_manager"]))
    StaffRecord.objects.bulk_create(created, batch_size=1000)
    if created and created[0].pk is None:  # databases that do not return ids
        by_key = {
            (r.mis_id or r.work_email.lower()): r
            for r in StaffRecord.objects.filter(organisation=organisation)
        }
        created = [by_key[c.mis_id or c.work_email.lower()] for c in created]
    for record in created:
        for key in (record.mis_id, record.work_email):
            if key and keys.get(key.lower()) is None:
                keys[key.lower()] = record.pk
    by_manager: dict[int | None, list[int]] = {}
    for record, key in managers:
        by_manager.setdefault(keys[key], []).append(record.pk)
    for manager_id, pks in by_manager.items():  # few managers: one UPDATE each, not a CASE
        _update_in_chunks(pks, line_manager_id=manager_id)
    _update_in_chunks([c.pk for c in plan.leavers], leaving_date=today)
    by_fields: dict[tuple[str, ...], list[StaffRecord]] = {}
    for change in plan.changes:
        fields: dict[str, Any] = dict(change.fields)
        if "line_manager" in fields:
            key = fields.pop("line_manager")
            fields["line_manager_id"] = keys.get(key) if key else None
        record = StaffRecord(pk=change.pk, organisation=organisation, **fields)
        by_fields.setdefault(tuple(sorted(fields)), []).append(record)
    for names, records in by_fields.items():
        StaffRecord.objects.bulk_update(records, list(names), batch_size=1000)
    if created:
        for handler in _STAFF_ADDED:
            handler(organisation, created, actor, today)
