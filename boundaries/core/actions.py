"""Writes to organisations, accounts, roles and staff records, each with its audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from boundaries.core import audit
from boundaries.core.models import Membership, Organisation, StaffRecord, User
from boundaries.core.roles import OrganisationKind, Role


def create_organisation(
    *,
    name: str,
    slug: str,
    kind: str,
    parent: Organisation | None = None,
    email_domains: list[str] | None = None,
    governors_contact_email: str = "",
    actor: User | None,
    now: dt.datetime | None = None,
) -> Organisation:
    if kind not in OrganisationKind.values:
        raise ValueError(f"unknown organisation kind {kind!r}")
    with transaction.atomic():
        org = Organisation.objects.create(
            name=name,
            slug=slug,
            kind=kind,
            parent=parent,
            email_domains=email_domains or [],
            governors_contact_email=governors_contact_email,
        )
        audit.record(
            "core.organisation_created",
            actor=actor,
            organisation=org,
            obj=org,
            after={
                "name": name,
                "slug": slug,
                "kind": kind,
                "parent": parent.pk if parent else None,
            },
            now=now,
        )
    return org


def create_account(
    *,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    password: str | None,
    actor: User | None,
    now: dt.datetime | None = None,
) -> User:
    with transaction.atomic():
        user = User(username=username, email=email, first_name=first_name, last_name=last_name)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        audit.record(
            "core.account_created",
            actor=actor,
            obj=user,
            after={"username": username, "email": email},
            now=now,
        )
    return user


def grant_role(
    user: User,
    organisation: Organisation,
    role: str,
    *,
    actor: User | None,
    now: dt.datetime | None = None,
) -> Membership:
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, role=role
        )
        if created:
            audit.record(
                "core.role_granted",
                actor=actor,
                organisation=organisation,
                obj=membership,
                after={"user": user.pk, "role": role},
                now=now,
            )
    return membership


def revoke_role(
    membership: Membership, *, actor: User | None, now: dt.datetime | None = None
) -> None:
    with transaction.atomic():
        audit.record(
            "core.role_revoked",
            actor=actor,
            organisation=membership.organisation,
            obj=membership,
            before={"user": membership.user_id, "role": membership.role},
            now=now,
        )
        membership.delete()


STAFF_FIELDS = (
    "full_name",
    "work_email",
    "job_title",
    "team",
    "start_date",
    "leaving_date",
    "works_with_children",
    "user_id",
    "line_manager_id",
)


def save_staff_record(
    organisation: Organisation,
    *,
    mis_id: str,
    actor: User | None,
    now: dt.datetime | None = None,
    **fields: Any,
) -> tuple[StaffRecord, bool]:
    """Create or update the staff record with this MIS id; returns (record, changed)."""
    unknown = set(fields) - set(STAFF_FIELDS)
    if unknown:
        raise ValueError(f"unknown staff fields {sorted(unknown)}")
    with transaction.atomic():
        record = StaffRecord.objects.filter(organisation=organisation, mis_id=mis_id).first()
        before = {k: getattr(record, k) for k in fields} if record else None
        if record is None:
            record = StaffRecord(organisation=organisation, mis_id=mis_id)
        elif before == fields:
            return record, False
        for key, value in fields.items():
            setattr(record, key, value)
        record.save()
        audit.record(
            "core.staff_record_saved",
            actor=actor,
            organisation=organisation,
            obj=record,
            before=before,
            after=fields,
            now=now,
        )
    return record, True
