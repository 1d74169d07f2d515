"""Assignments of a policy version to staff, their acknowledgements, induction and the
yearly privacy-settings check.

An acknowledgement is evidence: it keeps the content hash of the version read, the time
and the method, and can never be changed (the model refuses and so does the database).
A later version needs a new record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models

from boundaries.core.models import Organisation, StaffRecord, User
from boundaries.policies.models import Policy, PolicyVersion


class Scope(models.TextChoices):
    WORKS_WITH_CHILDREN = "works_with_children", "Staff who work with children"
    ALL_STAFF = "all", "All current staff"


class AcknowledgementSettings(models.Model):
    """A school's choices; a school without a row uses the defaults below."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="acknowledgement_settings"
    )
    scope = models.CharField(max_length=30, choices=Scope.choices, default=Scope.ALL_STAFF)
    due_days = models.PositiveSmallIntegerField(default=14)
    reminder_every_days = models.PositiveSmallIntegerField(default=7)
    pass_mark = models.PositiveSmallIntegerField(default=80, help_text="Percent")

    def __str__(self) -> str:
        return f"acknowledgement settings of {self.organisation}"


DEFAULTS = AcknowledgementSettings(scope=Scope.ALL_STAFF, due_days=14, reminder_every_days=7)


class Reason(models.TextChoices):
    NEW_VERSION = "new_version", "A new version came into force"
    INDUCTION = "induction", "Induction"


class Assignment(models.Model):
    """A version a member of staff must read by a date.

    On a minor change the open and done assignments move to the new version, so a
    person who read the previous version is not asked again; the acknowledgement they
    made stays with the version they read.
    """

    staff = models.ForeignKey(StaffRecord, on_delete=models.CASCADE, related_name="assignments")
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="assignments")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    material_change = models.BooleanField(default=False)
    assigned_on = models.DateField()
    due_on = models.DateField()
    acknowledgement = models.ForeignKey(
        "Acknowledgement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff", "version"], name="assignment_once_per_version")
        ]
        indexes = [models.Index(fields=["version", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.version} for {self.staff}"

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None

    def is_overdue(self, today: dt.date) -> bool:
        return not self.is_done and self.due_on < today


class Method(models.TextChoices):
    WEB = "web", "Read and confirmed on the website"
    API = "api", "Confirmed through the API"
    PAPER = "paper", "Signed on paper; recorded by the office"


class Acknowledgement(models.Model):
    """Proof that a person read one version. Never updated; never deleted while kept."""

    staff = models.ForeignKey(
        StaffRecord, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    content_hash = models.CharField(max_length=64)
    acknowledged_at = models.DateTimeField()
    method = models.CharField(max_length=10, choices=Method.choices)
    user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Percent")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff", "version"], name="acknowledged_once")
        ]

    def __str__(self) -> str:
        return f"{self.staff} read {self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("acknowledgements cannot be changed")
        super().save(*args, **kwargs)


class Question(models.Model):
    """A comprehension question the school wrote for a policy; one right answer."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=300)
    choices = models.JSONField()
    correct = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["policy", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class InductionItem(models.Model):
    """One of the school's own induction steps (besides reading each policy in force)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="induction_items"
    )
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["organisation", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Induction(models.Model):
    """A new starter's induction: complete when every item and every policy is done."""

    staff = models.OneToOneField(StaffRecord, on_delete=models.CASCADE, related_name="induction")
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"induction of {self.staff}"


class InductionTick(models.Model):
    induction = models.ForeignKey(Induction, on_delete=models.CASCADE, related_name="ticks")
    item = models.ForeignKey(InductionItem, on_delete=models.CASCADE, related_name="+")
    done_at = models.DateTimeField()
    done_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["induction", "item"], name="induction_tick_once")
        ]

    def __str__(self) -> str:
        return f"{self.item} for {self.induction.staff}"


class ReminderSent(models.Model):
    """One email per assignment, stage and recipient: the row is claimed before sending."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=30)
    recipient = models.EmailField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "stage", "recipient"], name="ack_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stage} to {self.recipient}"


class DigestSent(models.Model):
    """The headteacher's weekly digest, once per school, week and recipient."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    week_of = models.DateField()
    recipient = models.EmailField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "week_of", "recipient"], name="ack_digest_once"
            )
        ]

    def __str__(self) -> str:
        return f"digest for {self.organisation}, week of {self.week_of}"


class PrivacyCheck(models.Model):
    """A person's yearly confirmation that they reviewed the privacy settings of each
    platform they use (4.1(ii)). The school sees only whether it was done, never which
    platforms a person uses: `platforms` is shown to that person alone."""

    staff = models.ForeignKey(StaffRecord, on_delete=models.CASCADE, related_name="privacy_checks")
    year = models.PositiveSmallIntegerField()
    platforms = models.JSONField(default=list)
    completed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff", "year"], name="privacy_check_once_a_year")
        ]

    def __str__(self) -> str:
        return f"privacy check {self.year} of {self.staff}"
