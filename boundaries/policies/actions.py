"""Every write to policies: each runs in one transaction and records its audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from boundaries.core import audit
from boundaries.core.models import Organisation, User
from boundaries.core.refusals import refused_step
from boundaries.policies.catalogue import controls
from boundaries.policies.models import (
    Clause,
    ClauseControl,
    ClauseNote,
    DatePrecision,
    Policy,
    PolicyKind,
    PolicyLink,
    PolicyVersion,
    StatutoryConflict,
    VersionStatus,
)
from boundaries.policies.structure import ClauseInput, walk_all


class PolicyError(Exception):
    """A request the policy's state does not allow; the message is for the person."""


InForceHandler = Callable[[PolicyVersion, "PolicyVersion | None", "User | None", dt.date], None]
_IN_FORCE_HANDLERS: list[InForceHandler] = []


def on_version_in_force(handler: InForceHandler) -> InForceHandler:
    """Register a feature's handler, called inside `bring_into_force`'s transaction with
    (version, previous version in force or None, actor, today)."""
    if handler not in _IN_FORCE_HANDLERS:
        _IN_FORCE_HANDLERS.append(handler)
    return handler


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _store_clauses(version: PolicyVersion, roots: list[ClauseInput]) -> dict[str, Clause]:
    by_number: dict[str, Clause] = {}
    position = 0

    def store(node: ClauseInput, parent: Clause | None, depth: int) -> None:
        nonlocal position
        if node.number in by_number:
            raise PolicyError(f"clause {node.number} appears twice")
        clause = Clause.objects.create(
            version=version,
            parent=parent,
            number=node.number,
            heading=node.heading,
            text=node.text,
            position=position,
            depth=depth,
        )
        position += 1
        by_number[node.number] = clause
        ClauseNote.objects.bulk_create(
            ClauseNote(clause=clause, kind=kind, text=text, position=i)
            for i, (kind, text) in enumerate(node.notes)
        )
        for child in node.children:
            store(child, clause, depth + 1)

    for root in roots:
        store(root, None, 0)
    return by_number


def _copy_mapping(source: PolicyVersion, by_number: Mapping[str, Clause]) -> None:
    for number, code in ClauseControl.objects.filter(clause__version=source).values_list(
        "clause__number", "control"
    ):
        if number in by_number:
            ClauseControl.objects.create(clause=by_number[number], control=code)
    for conflict in StatutoryConflict.objects.filter(clause__version=source).select_related(
        "clause"
    ):
        if conflict.clause.number in by_number:
            StatutoryConflict.objects.create(
                clause=by_number[conflict.clause.number],
                guidance=conflict.guidance,
                reason=conflict.reason,
            )


def create_version(
    policy: Policy,
    roots: list[ClauseInput],
    *,
    actor: User | None,
    title: str = "",
    preamble: str = "",
    dates: Mapping[str, tuple[dt.date, str] | None] | None = None,
    adopted_from: PolicyVersion | None = None,
    source_filename: str = "",
    source_sha256: str = "",
    change_note: str = "",
    now: dt.datetime | None = None,
) -> PolicyVersion:
    """Store a new draft version of `policy` from a clause tree."""
    if not roots:
        raise PolicyError("a policy version needs at least one clause")
    dates = dates or {}
    with transaction.atomic():
        last = policy.versions.aggregate(m=Max("number"))["m"] or 0
        version = PolicyVersion(
            policy=policy,
            number=last + 1,
            title=title or policy.title,
            preamble=preamble,
            adopted_from=adopted_from,
            source_filename=source_filename,
            source_sha256=source_sha256,
            change_note=change_note,
            created_by=actor,
        )
        for name in ("written", "ratified"):
            value = dates.get(name)
            if value:
                setattr(version, f"date_{name}", value[0])
                setattr(version, f"date_{name}_precision", value[1])
        if dates.get("adopted"):
            version.date_adopted = dates["adopted"][0]  # type: ignore[index]
        if dates.get("next_review"):
            version.next_review = dates["next_review"][0]  # type: ignore[index]
        version.save()
        by_number = _store_clauses(version, roots)
        if adopted_from is not None:
            _copy_mapping(adopted_from, by_number)
        for node in walk_all(roots):
            for code in node.controls:
                ClauseControl.objects.get_or_create(clause=by_number[node.number], control=code)
            for conflict in node.conflicts:
                StatutoryConflict.objects.create(
                    clause=by_number[node.number],
                    guidance=conflict["guidance"],
                    reason=conflict["reason"],
                )
        version.content_hash = version.compute_content_hash()
        version.save(update_fields=["content_hash"])
        audit.record(
            "policy.version_created",
            actor=actor,
            organisation=policy.organisation,
            obj=version,
            after={**version.snapshot(), "clauses": len(by_number)},
            now=now,
        )
    return version


def create_policy(
    organisation: Organisation,
    *,
    title: str,
    kind: str = PolicyKind.SOCIAL_MEDIA,
    is_model: bool = False,
    actor: User | None,
    now: dt.datetime | None = None,
) -> Policy:
    with transaction.atomic():
        policy = Policy.objects.create(
            organisation=organisation, title=title, kind=kind, is_model=is_model
        )
        audit.record(
            "policy.created",
            actor=actor,
            organisation=organisation,
            obj=policy,
            after={"title": title, "kind": kind, "is_model": is_model},
            now=now,
        )
    return policy


def edit_clause(
    clause: Clause, *, heading: str, text: str, actor: User, now: dt.datetime | None = None
) -> Clause:
    with transaction.atomic():
        version = PolicyVersion.objects.select_for_update().get(pk=clause.version_id)
        if not version.is_editable:
            raise PolicyError("only a draft version can be changed; start a new version instead")
        before = {"heading": clause.heading, "text": clause.text}
        clause.heading, clause.text = heading, text
        clause.save(update_fields=["heading", "text"])
        version.content_hash = version.compute_content_hash()
        version.save(update_fields=["content_hash"])
        audit.record(
            "policy.clause_edited",
            actor=actor,
            organisation=version.organisation,
            obj=clause,
            before=before,
            after={"heading": heading, "text": text, "number": clause.number},
            now=now,
        )
    return clause


def _move(version: PolicyVersion, status: str, actor: User | None) -> str:
    if not version.can_move_to(status):
        refused_step(version, status, actor=actor, reason="move")
        raise PolicyError(
            f"a {version.get_status_display().lower()} version cannot become "
            f"{VersionStatus(status).label.lower()}"
        )
    before = version.status
    version.status = status
    return before


def ratify(
    version: PolicyVersion,
    *,
    date_ratified: dt.date,
    minute_ref: str,
    next_review: dt.date | None = None,
    precision: str = DatePrecision.DAY,
    actor: User,
    now: dt.datetime | None = None,
) -> PolicyVersion:
    """Record the governing body's ratification of a draft.

    `precision` is "month" when the record says only "November 2023", so the page does not
    claim a day nobody wrote down."""
    with transaction.atomic():
        version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
        before = version.snapshot()
        _move(version, VersionStatus.RATIFIED, actor)
        version.date_ratified = date_ratified
        version.date_ratified_precision = precision
        version.ratification_minute_ref = minute_ref
        if next_review is not None:
            version.next_review = next_review
        version.save()
        audit.record(
            "policy.version_ratified",
            actor=actor,
            organisation=version.organisation,
            obj=version,
            before=before,
            after=version.snapshot(),
            now=now,
        )
    return version


def bring_into_force(
    version: PolicyVersion,
    *,
    actor: User | None,
    today: dt.date,
    now: dt.datetime | None = None,
    material_change: bool = True,
) -> PolicyVersion:
    """Put a ratified version (or a published model version) in force; supersede the old one.

    `material_change` says whether staff must read it again (a first version always is)."""
    with transaction.atomic():
        version = (
            PolicyVersion.objects.select_for_update().select_related("policy").get(pk=version.pk)
        )
        before = version.snapshot()
        _move(version, VersionStatus.IN_FORCE, actor)
        previous = version.policy.versions.filter(status=VersionStatus.IN_FORCE).first()
        if previous is not None:
            prev_before = previous.snapshot()
            _move(previous, VersionStatus.SUPERSEDED, actor)
            previous.save(update_fields=["status"])
            audit.record(
                "policy.version_superseded",
                actor=actor,
                organisation=version.organisation,
                obj=previous,
                before=prev_before,
                after=previous.snapshot(),
                now=now,
            )
        version.date_in_force = today
        version.material_change = material_change or previous is None
        if version.date_adopted is None:
            version.date_adopted = today
        version.save()
        audit.record(
            "policy.model_published" if version.policy.is_model else "policy.version_in_force",
            actor=actor,
            organisation=version.organisation,
            obj=version,
            before=before,
            after={**version.snapshot(), "material_change": version.material_change},
            now=now,
        )
        for handler in _IN_FORCE_HANDLERS:
            handler(version, previous, actor, today)
    return version


def version_as_input(version: PolicyVersion) -> list[ClauseInput]:
    def convert(clause: Clause) -> ClauseInput:
        return ClauseInput(
            number=clause.number,
            heading=clause.heading,
            text=clause.text,
            notes=[(n.kind, n.text) for n in clause.notes.all()],
            children=[convert(c) for c in clause.children_list],
        )

    return [convert(root) for root in version.clause_tree()]


def adopt_model(
    school: Organisation,
    model_version: PolicyVersion,
    *,
    actor: User | None,
    now: dt.datetime | None = None,
) -> PolicyVersion:
    """Start the school's draft from a published model version; local edits follow."""
    if model_version.status != VersionStatus.IN_FORCE or not model_version.policy.is_model:
        raise PolicyError("only a published model policy can be adopted")
    if model_version.policy.organisation not in school.ancestors():
        raise PolicyError("a school adopts only its own authority's or trust's model policies")
    with transaction.atomic():
        policy = Policy.objects.filter(
            organisation=school, kind=model_version.policy.kind, is_model=False
        ).first() or create_policy(
            school,
            title=model_version.policy.title,
            kind=model_version.policy.kind,
            actor=actor,
            now=now,
        )
        return create_version(
            policy,
            version_as_input(model_version),
            actor=actor,
            title=model_version.title,
            preamble=model_version.preamble,
            adopted_from=model_version,
            change_note=f"Adopted from {model_version}",
            now=now,
        )


def decide_conflict(
    conflict: StatutoryConflict,
    *,
    decision: str,
    decided_on: dt.date,
    minute_ref: str,
    actor: User,
    now: dt.datetime | None = None,
) -> StatutoryConflict:
    if not decision.strip():
        raise PolicyError("enter the governing body's decision")
    with transaction.atomic():
        before = {"decision": conflict.decision, "decided_on": conflict.decided_on}
        conflict.decision = decision.strip()
        conflict.decided_on = decided_on
        conflict.decision_minute_ref = minute_ref
        conflict.decided_by = actor
        conflict.save()
        audit.record(
            "policy.conflict_decided",
            actor=actor,
            organisation=conflict.clause.version.organisation,
            obj=conflict,
            before=before,
            after={
                "decision": conflict.decision,
                "decided_on": decided_on,
                "minute_ref": minute_ref,
                "clause": conflict.clause.number,
            },
            now=now,
        )
    return conflict


def set_clause_controls(
    version: PolicyVersion,
    mapping: Mapping[int, Iterable[str]],
    *,
    actor: User,
    now: dt.datetime | None = None,
) -> None:
    """Replace the controls of the given clauses (clause id -> control codes)."""
    known = set(controls())
    with transaction.atomic():
        clauses = {c.pk: c for c in version.clauses.filter(pk__in=list(mapping))}
        changes: dict[str, Any] = {}
        for clause_id, codes in mapping.items():
            codes = set(codes)
            if clause_id not in clauses:
                raise PolicyError("that clause is not part of this version")
            if codes - known:
                raise PolicyError(f"unknown control {sorted(codes - known)[0]!r}")
            clause = clauses[clause_id]
            current = set(clause.controls.values_list("control", flat=True))
            if current == codes:
                continue
            clause.controls.exclude(control__in=codes).delete()
            for code in sorted(codes - current):
                ClauseControl.objects.create(clause=clause, control=code)
            changes[clause.number] = {"before": sorted(current), "after": sorted(codes)}
        if changes:
            audit.record(
                "policy.controls_mapped",
                actor=actor,
                organisation=version.organisation,
                obj=version,
                after=changes,
                now=now,
            )


def add_link(
    policy: Policy,
    *,
    title: str,
    url: str = "",
    target: Policy | None = None,
    clause_number: str = "",
    actor: User | None,
    now: dt.datetime | None = None,
) -> PolicyLink:
    if not url and target is None:
        raise PolicyError("a link needs an address or a policy to point to")
    with transaction.atomic():
        link = PolicyLink.objects.create(
            policy=policy, title=title, url=url, target=target, clause_number=clause_number
        )
        audit.record(
            "policy.link_added",
            actor=actor,
            organisation=policy.organisation,
            obj=link,
            after={
                "title": title,
                "url": url,
                "target": target.pk if target else None,
                "clause": clause_number,
            },
            now=now,
        )
    return link


def start_new_version(
    policy: Policy, *, actor: User | None, now: dt.datetime | None = None
) -> PolicyVersion:
    """A new draft copied from the version in force (or the latest), for the annual review.

    Statutory conflicts come across with the governing body's decisions, which stand until
    the governors record a new one."""
    source = policy.version_in_force() or policy.versions.order_by("-number").first()
    if source is None:
        raise PolicyError("there is no version to start from; import a document instead")
    if policy.versions.filter(status__in=[VersionStatus.DRAFT, VersionStatus.RATIFIED]).exists():
        raise PolicyError("a new version is already in preparation; finish or use that one")
    with transaction.atomic():
        version = create_version(
            policy,
            version_as_input(source),
            actor=actor,
            title=source.title,
            preamble=source.preamble,
            adopted_from=source.adopted_from,
            change_note=f"Started from version {source.number}",
            now=now,
        )
        decided = {
            (c.clause.number, c.guidance): c
            for c in StatutoryConflict.objects.filter(clause__version=source).select_related(
                "clause"
            )
        }
        source_mapping = ClauseControl.objects.filter(clause__version=source)
        by_number = {c.number: c for c in version.clauses.all()}
        if source.adopted_from is None:
            for number, code in source_mapping.values_list("clause__number", "control"):
                ClauseControl.objects.get_or_create(clause=by_number[number], control=code)
            for (number, guidance), conflict in decided.items():
                StatutoryConflict.objects.get_or_create(
                    clause=by_number[number],
                    guidance=guidance,
                    defaults={"reason": conflict.reason},
                )
        for conflict in StatutoryConflict.objects.filter(clause__version=version).select_related(
            "clause"
        ):
            old = decided.get((conflict.clause.number, conflict.guidance))
            if old is not None and old.is_decided:
                conflict.decision = old.decision
                conflict.decided_on = old.decided_on
                conflict.decision_minute_ref = old.decision_minute_ref
                conflict.decided_by = old.decided_by
                conflict.save()
    return version


def flag_conflict(
    clause: Clause,
    *,
    guidance: str,
    reason: str,
    actor: User,
    now: dt.datetime | None = None,
) -> StatutoryConflict:
    """Record that a clause is in tension with statutory guidance, for governors to decide."""
    if not guidance.strip() or not reason.strip():
        raise PolicyError("name the guidance and say why the clause is in tension with it")
    with transaction.atomic():
        conflict = StatutoryConflict.objects.create(
            clause=clause, guidance=guidance.strip(), reason=reason.strip()
        )
        audit.record(
            "policy.conflict_flagged",
            actor=actor,
            organisation=clause.version.organisation,
            obj=conflict,
            after={
                "clause": clause.number,
                "guidance": conflict.guidance,
                "reason": conflict.reason,
            },
            now=now,
        )
    return conflict
