"""Clause 4.2: vacancies, their shortlists and the panel's attestation about vetting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from boundaries.core import audit
from boundaries.core.models import Organisation, User
from boundaries.declarations.errors import DeclarationError
from boundaries.declarations.models import (
    AttestationKind,
    RecruitmentAttestation,
    ShortlistedCandidate,
    Vacancy,
)
from boundaries.policies.models import StatutoryConflict, VersionStatus


def vetting_conflict(organisation: Organisation) -> StatutoryConflict | None:
    """The statutory tension recorded on clause 4.2 of the policy in force, if any."""
    return (
        StatutoryConflict.objects.filter(
            clause__version__policy__organisation=organisation,
            clause__version__status=VersionStatus.IN_FORCE,
        )
        .filter(clause__controls__control="recruitment_attestation")
        .select_related("clause")
        .first()
        or StatutoryConflict.objects.filter(
            clause__version__policy__organisation=organisation,
            clause__version__status=VersionStatus.IN_FORCE,
            clause__number="4.2",
        )
        .select_related("clause")
        .first()
    )


def _references(raw: Sequence[str]) -> list[str]:
    refs = [r.strip() for r in raw if r.strip()]
    seen: set[str] = set()
    for i, ref in enumerate(refs, start=1):
        if ref.lower() in seen:
            raise DeclarationError(f"Candidate {i}: {ref!r} appears twice in the shortlist")
        if len(ref) > 60:
            raise DeclarationError(f"Candidate {i}: use a reference of 60 characters or fewer")
        seen.add(ref.lower())
    return refs


def create_vacancy(
    organisation: Organisation,
    *,
    actor: User,
    title: str,
    reference: str = "",
    closing_date: dt.date | None = None,
    shortlist: Sequence[str] = (),
    now: dt.datetime | None = None,
) -> Vacancy:
    now = now or timezone.now()
    if not title.strip():
        raise DeclarationError("Enter the job title")
    refs = _references(shortlist)
    with transaction.atomic():
        vacancy = Vacancy.objects.create(
            organisation=organisation,
            title=title.strip(),
            reference=reference.strip(),
            closing_date=closing_date,
            created_by=actor,
            created_at=now,
        )
        ShortlistedCandidate.objects.bulk_create(
            ShortlistedCandidate(vacancy=vacancy, reference=r) for r in refs
        )
        audit.record(
            "recruitment.vacancy_created",
            actor=actor,
            organisation=organisation,
            obj=vacancy,
            after={"title": vacancy.title, "reference": vacancy.reference, "shortlist": refs},
            now=now,
        )
    return vacancy


def set_shortlist(
    vacancy: Vacancy, shortlist: Sequence[str], *, actor: User, now: dt.datetime | None = None
) -> Vacancy:
    if hasattr(vacancy, "attestation"):
        raise DeclarationError("The panel has attested for this vacancy: the shortlist is fixed")
    refs = _references(shortlist)
    with transaction.atomic():
        before = list(vacancy.candidates.values_list("reference", flat=True))
        vacancy.candidates.exclude(reference__in=refs).delete()
        for ref in refs:
            ShortlistedCandidate.objects.get_or_create(vacancy=vacancy, reference=ref)
        audit.record(
            "recruitment.shortlist_set",
            actor=actor,
            organisation=vacancy.organisation,
            obj=vacancy,
            before={"shortlist": before},
            after={"shortlist": refs},
            now=now,
        )
    return vacancy


def attest(
    vacancy: Vacancy,
    *,
    actor: User,
    kind: str,
    panel: str,
    searched: str = "",
    public_only: bool = False,
    candidates: Sequence[ShortlistedCandidate] = (),
    now: dt.datetime | None = None,
) -> RecruitmentAttestation:
    """The panel's record. Searches, where the governors allowed them, must cover every
    shortlisted candidate alike: an uneven record is refused."""
    now = now or timezone.now()
    if RecruitmentAttestation.objects.filter(vacancy=vacancy).exists():
        raise DeclarationError("The panel has already attested for this vacancy")
    if not panel.strip():
        raise DeclarationError("Name the members of the panel")
    shortlist = list(vacancy.candidates.all())
    if not shortlist:
        raise DeclarationError("Record the shortlisted candidates before the attestation")
    conflict = None
    if kind == AttestationKind.NO_VETTING:
        if searched.strip() or candidates:
            raise DeclarationError(
                "A record that no vetting took place cannot list searches or candidates searched"
            )
    elif kind == AttestationKind.GOVERNED_SEARCH:
        conflict = vetting_conflict(vacancy.organisation)
        if conflict is None or not conflict.is_decided:
            raise DeclarationError(
                "Searches need the governing body's recorded decision on the tension with "
                "clause 4.2; there is none for the policy in force"
            )
        if not public_only:
            raise DeclarationError("Confirm that only public web results were looked at")
        if not searched.strip():
            raise DeclarationError("Say what was searched and where")
        chosen = {c.pk for c in candidates}
        if chosen - {c.pk for c in shortlist}:
            raise DeclarationError("A candidate searched is not on this vacancy's shortlist")
        missing = [c.reference for c in shortlist if c.pk not in chosen]
        if missing:
            raise DeclarationError(
                "The same searches must be made for every shortlisted candidate; not recorded "
                f"for {', '.join(missing)}"
            )
    else:
        raise DeclarationError(f"Unknown kind of attestation {kind!r}")
    with transaction.atomic():
        attestation = RecruitmentAttestation.objects.create(
            vacancy=vacancy,
            kind=kind,
            panel=panel.strip(),
            conflict=conflict,
            searched=searched.strip(),
            attested_by=actor,
            attested_at=now,
        )
        if kind == AttestationKind.GOVERNED_SEARCH:
            attestation.candidates_searched.set(shortlist)
        audit.record(
            "recruitment.attested",
            actor=actor,
            organisation=vacancy.organisation,
            obj=attestation,
            after={
                "vacancy": vacancy.pk,
                "kind": kind,
                "conflict": conflict.pk if conflict else None,
                "candidates_searched": len(candidates),
            },
            now=now,
        )
    return attestation
