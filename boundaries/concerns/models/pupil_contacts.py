"""Clause 5: a pupil contacted a member of staff on a personal channel; they did not reply
and reported it. The steps the policy expects are recorded with who and when."""

from __future__ import annotations

from django.db import models

from boundaries.core.models import Organisation, StaffRecord, User
from boundaries.roster.models import Pupil


class ContactStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


CONTACT_MOVES: dict[str, set[str]] = {
    ContactStatus.OPEN: {ContactStatus.CLOSED},
    ContactStatus.CLOSED: {ContactStatus.OPEN},
}


class StepKind(models.TextChoices):
    TOLD_NOT_ACCEPTABLE = "told_not_acceptable", "The pupil was told this is not acceptable"
    BLOCKED = "blocked", "The contact was blocked"
    PARENTS_INFORMED = "parents_informed", "Parents or carers were informed"
    PARENTS_NOT_INFORMED = (
        "parents_not_informed",
        "The DSL decided not to inform parents or carers",
    )


REQUIRED_STEPS = (StepKind.TOLD_NOT_ACCEPTABLE, StepKind.BLOCKED)
PARENT_DECISION = (StepKind.PARENTS_INFORMED, StepKind.PARENTS_NOT_INFORMED)


class PupilContactReport(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="pupil_contact_reports"
    )
    reporter = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    reporter_staff = models.ForeignKey(
        StaffRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pupil = models.ForeignKey(
        Pupil, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pupil_description = models.CharField(max_length=200, blank=True)
    platform = models.CharField(max_length=100)
    contacted_at = models.DateTimeField()
    what_was_said = models.TextField()
    did_not_respond = models.BooleanField()
    status = models.CharField(max_length=10, choices=ContactStatus.choices, default="open")
    closing_note = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"pupil contact report #{self.pk}"

    @property
    def pupil_label(self) -> str:
        if self.pupil is not None:
            return self.pupil.full_name
        return self.pupil_description or "Unknown pupil"

    def steps_done(self) -> dict[str, ContactStep]:
        return {s.kind: s for s in self.steps.all()}

    def missing_steps(self) -> list[str]:
        """What is still to record before the report can close."""
        done = self.steps_done()
        missing = [str(StepKind(k).label) for k in REQUIRED_STEPS if k not in done]
        if not any(k in done for k in PARENT_DECISION):
            missing.append("The DSL's decision on informing parents or carers")
        return missing

    def can_move_to(self, status: str) -> bool:
        return status in CONTACT_MOVES[self.status]


class ContactStep(models.Model):
    report = models.ForeignKey(PupilContactReport, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=30, choices=StepKind.choices)
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at"]
        constraints = [models.UniqueConstraint(fields=["report", "kind"], name="contact_step_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.report}"
