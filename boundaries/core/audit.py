"""The audit chain: every action appends an event whose hash covers the one before it.

A changed, inserted or deleted row breaks the chain at that point, which `verify`
reports; it cannot say what the row used to be, only where to look.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from boundaries.core.models import AuditEvent, AuditHead, Organisation, User

GENESIS = "0" * 64


def _canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str).encode()


def event_fields(
    *,
    seq: int,
    created_at: dt.datetime,
    actor_id: int | None,
    actor_label: str,
    organisation_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    before: Any,
    after: Any,
) -> dict[str, Any]:
    return {
        "seq": seq,
        "created_at": created_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "organisation_id": organisation_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "before": before,
        "after": after,
    }


def chain_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + _canonical(fields)).hexdigest()


def _json_safe(value: Any) -> Any:
    """Round-trip through JSON so the stored value hashes the same when read back."""
    return None if value is None else json.loads(json.dumps(value, default=str))


def record(
    action: str,
    *,
    actor: User | None,
    organisation: Organisation | None = None,
    obj: models.Model | None = None,
    before: Any = None,
    after: Any = None,
    now: dt.datetime | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the action's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside a transaction")
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    created_at = (now or timezone.now()).astimezone(dt.UTC)
    fields = event_fields(
        seq=head.last_seq + 1,
        created_at=created_at,
        actor_id=actor.pk if actor else None,
        actor_label=(actor.get_username() if actor else "system"),
        organisation_id=organisation.pk if organisation else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        before=_json_safe(before),
        after=_json_safe(after),
    )
    digest = chain_hash(head.last_hash, fields)
    event = AuditEvent.objects.create(
        seq=fields["seq"],
        created_at=created_at,
        actor=actor,
        actor_label=fields["actor_label"],
        organisation=organisation,
        action=action,
        object_type=fields["object_type"],
        object_id=fields["object_id"],
        before=fields["before"],
        after=fields["after"],
        prev_hash=head.last_hash,
        hash=digest,
    )
    AuditHead.objects.filter(pk=1).update(last_seq=fields["seq"], last_hash=digest)
    return event


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    checked: int
    broken_at: int | None = None
    reason: str = ""

    def __str__(self) -> str:
        if self.intact:
            return f"intact: {self.checked} events"
        return f"broken at event #{self.broken_at}: {self.reason}"


def _rows() -> Iterator[dict[str, Any]]:
    columns = [
        "seq",
        "created_at",
        "actor_id",
        "actor_label",
        "organisation_id",
        "action",
        "object_type",
        "object_id",
        "before",
        "after",
        "prev_hash",
        "hash",
    ]
    yield from AuditEvent.objects.order_by("seq").values(*columns).iterator(chunk_size=2000)


@dataclass(frozen=True)
class Head:
    """The chain's last event, in the one line `boundaries audit head` prints, to be kept
    away from the database (a syslog server, a ticket, a printout): a chain truncated or
    rebuilt since no longer holds that event with that hash, however consistent it is."""

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"audit-head seq={self.seq} hash={self.hash}"

    @classmethod
    def parse(cls, line: str) -> Head:
        found = re.fullmatch(r"\s*audit-head seq=(\d+) hash=([0-9a-f]{64})\s*", line)
        if found is None:
            raise ValueError("not an audit head: expected 'audit-head seq=N hash=<64 hex>'")
        return cls(int(found[1]), found[2])


def verify_rows(
    rows: Iterable[dict[str, Any]], head: tuple[int, str] | None, kept: Head | None = None
) -> ChainReport:
    """Walk the chain; `head` is the (last_seq, last_hash) the writers recorded, `kept` a
    head recorded earlier elsewhere, which the chain must still hold."""
    prev_hash = GENESIS
    expected_seq = 1
    checked = 0
    for row in rows:
        if row["seq"] != expected_seq:
            missing = expected_seq if row["seq"] > expected_seq else row["seq"]
            return ChainReport(False, checked, missing, "an event is missing or out of order")
        if row["prev_hash"] != prev_hash:
            return ChainReport(False, checked, row["seq"], "its link to the previous event differs")
        fields = {k: row[k] for k in row if k not in {"prev_hash", "hash"}}
        fields = event_fields(**fields)
        if chain_hash(prev_hash, fields) != row["hash"]:
            return ChainReport(False, checked, row["seq"], "its contents were changed")
        if kept is not None and row["seq"] == kept.seq and row["hash"] != kept.hash:
            return ChainReport(False, checked, kept.seq, "it differs from the kept head")
        prev_hash = row["hash"]
        expected_seq += 1
        checked += 1
    if kept is not None and kept.seq > checked:
        return ChainReport(False, checked, checked + 1, "events up to the kept head were removed")
    if head is not None:
        last_seq, last_hash = head
        if last_seq != checked or (checked and last_hash != prev_hash):
            return ChainReport(
                False,
                checked,
                checked + 1 if last_seq > checked else last_seq,
                "events at the end of the chain were removed",
            )
    return ChainReport(True, checked)


def head() -> Head:
    row = AuditHead.objects.filter(pk=1).values_list("last_seq", "last_hash").first()
    return Head(*row) if row else Head(0, GENESIS)


def verify(kept: Head | None = None) -> ChainReport:
    current = head()
    return verify_rows(_rows(), (current.seq, current.hash), kept)
