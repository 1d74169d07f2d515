"""Clause 5: the school device register, loans, returns and the wipe after images move."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from boundaries.core import audit
from boundaries.core.models import Organisation, StaffRecord, User
from boundaries.declarations.errors import DeclarationError
from boundaries.declarations.models import DeviceKind, DeviceLoan, SchoolDevice


def add_device(
    organisation: Organisation,
    *,
    actor: User,
    kind: str,
    label: str,
    asset_tag: str = "",
    now: dt.datetime | None = None,
) -> SchoolDevice:
    now = now or timezone.now()
    if kind not in DeviceKind.values:
        raise DeclarationError(f"Unknown kind of device {kind!r}")
    if not label.strip():
        raise DeclarationError("Give the device a label people can find on it")
    with transaction.atomic():
        device = SchoolDevice.objects.create(
            organisation=organisation,
            kind=kind,
            label=label.strip(),
            asset_tag=asset_tag.strip(),
            created_at=now,
        )
        audit.record(
            "devices.added",
            actor=actor,
            organisation=organisation,
            obj=device,
            after={"kind": kind, "label": device.label, "asset_tag": device.asset_tag},
            now=now,
        )
    return device


def lend(
    device: SchoolDevice,
    *,
    actor: User,
    borrower: StaffRecord,
    purpose: str,
    loaned_on: dt.date,
    due_back: dt.date,
    now: dt.datetime | None = None,
) -> DeviceLoan:
    now = now or timezone.now()
    if borrower.organisation_id != device.organisation_id:
        raise DeclarationError("The borrower must be on this school's staff")
    if due_back < loaned_on:
        raise DeclarationError("The return date must be on or after the day it is lent")
    if not purpose.strip():
        raise DeclarationError("Say which trip or activity the device is for")
    with transaction.atomic():
        locked = SchoolDevice.objects.select_for_update().get(pk=device.pk)
        if locked.retired_on is not None:
            raise DeclarationError(f"{locked} was retired on {locked.retired_on:%d %B %Y}")
        current = locked.current_loan()
        if current is not None:
            raise DeclarationError(f"{locked} is out with {current.borrower} until it is returned")
        loan = DeviceLoan.objects.create(
            device=locked,
            borrower=borrower,
            purpose=purpose.strip(),
            loaned_on=loaned_on,
            due_back=due_back,
            recorded_by=actor,
            created_at=now,
        )
        audit.record(
            "devices.lent",
            actor=actor,
            organisation=locked.organisation,
            obj=loan,
            after={
                "device": locked.pk,
                "borrower": borrower.pk,
                "loaned_on": loaned_on,
                "due_back": due_back,
            },
            now=now,
        )
    return loan


def record_return(
    loan: DeviceLoan,
    *,
    actor: User,
    returned_on: dt.date,
    images_transferred_on: dt.date | None = None,
    wiped_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> DeviceLoan:
    """The device is back; images are moved to school storage and the device wiped."""
    if returned_on < loan.loaned_on:
        raise DeclarationError("The return date cannot be before the day it was lent")
    if wiped_on is not None and wiped_on < returned_on:
        raise DeclarationError("The wipe cannot be recorded before the device came back")
    if (
        images_transferred_on is not None
        and wiped_on is not None
        and wiped_on < images_transferred_on
    ):
        raise DeclarationError("Transfer the images before wiping the device")
    with transaction.atomic():
        locked = DeviceLoan.objects.select_for_update().get(pk=loan.pk)
        before = {
            "returned_on": locked.returned_on,
            "images_transferred_on": locked.images_transferred_on,
            "wiped_on": locked.wiped_on,
        }
        locked.returned_on = returned_on
        if images_transferred_on is not None:
            locked.images_transferred_on = images_transferred_on
        if wiped_on is not None:
            locked.wiped_on = wiped_on
            locked.wiped_by = actor
        locked.save()
        audit.record(
            "devices.returned",
            actor=actor,
            organisation=locked.device.organisation,
            obj=locked,
            before=before,
            after={
                "returned_on": locked.returned_on,
                "images_transferred_on": locked.images_transferred_on,
                "wiped_on": locked.wiped_on,
            },
            now=now,
        )
    return locked
