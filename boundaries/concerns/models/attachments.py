"""Files attached to a concern or a pupil-contact report (screenshots, letters).

Stored under MEDIA_ROOT with random names, never served as static files: only the
authorised download view reads them."""

from __future__ import annotations

from django.db import models

from boundaries.concerns.models.concerns import Concern
from boundaries.concerns.models.pupil_contacts import PupilContactReport
from boundaries.core.models import Organisation, User


class Attachment(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    concern = models.ForeignKey(
        Concern, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    pupil_contact = models.ForeignKey(
        PupilContactReport,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    stored_name = models.CharField(max_length=100, unique=True)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(concern__isnull=False) | models.Q(pupil_contact__isnull=False),
                name="attachment_has_a_record",
            )
        ]

    def __str__(self) -> str:
        return self.original_name
