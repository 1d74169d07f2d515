"""Clause 5: school cameras, phones and tablets, lent to staff instead of personal devices."""

from __future__ import annotations

import datetime as dt

from django.db import models

from boundaries.core.models import Organisation, StaffRecord, User


class DeviceKind(models.TextChoices):
    CAMERA = "camera", "Camera"
    PHONE = "phone", "Mobile phone"
    TABLET = "tablet", "Tablet"


class SchoolDevice(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="school_devices"
    )
    kind = models.CharField(max_length=20, choices=DeviceKind.choices)
    label = models.CharField(max_length=100)
    asset_tag = models.CharField(max_length=60, blank=True)
    retired_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["kind", "label"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.label}"

    def current_loan(self) -> DeviceLoan | None:
        return self.loans.filter(returned_on__isnull=True).first()


class DeviceLoan(models.Model):
    device = models.ForeignKey(SchoolDevice, on_delete=models.PROTECT, related_name="loans")
    borrower = models.ForeignKey(StaffRecord, on_delete=models.PROTECT, related_name="loans")
    purpose = models.CharField(max_length=200)
    loaned_on = models.DateField()
    due_back = models.DateField()
    returned_on = models.DateField(null=True, blank=True)
    images_transferred_on = models.DateField(null=True, blank=True)
    wiped_on = models.DateField(null=True, blank=True)
    wiped_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-loaned_on"]

    def __str__(self) -> str:
        return f"{self.device} to {self.borrower} on {self.loaned_on}"

    def is_overdue(self, today: dt.date) -> bool:
        return self.returned_on is None and self.due_back < today

    def needs_wipe(self) -> bool:
        return self.returned_on is not None and self.wiped_on is None
