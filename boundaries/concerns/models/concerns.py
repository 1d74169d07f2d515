"""Concerns about a member of staff's conduct online, from receipt to an outcome."""

from __future__ import annotations

import datetime as dt

from django.db import models

from boundaries.core.models import Organisation, StaffRecord, User
from boundaries.policies.models import Clause


class ConcernSource(models.TextChoices):
    STAFF = "staff", "Raised by a member of staff"
    PARENT_COMPLAINT = "parent_complaint", "A parent's or carer's complaint, logged by the office"
    OTHER = "other", "Another source"


class ConcernStatus(models.TextChoices):
    RECEIVED = "received", "Received, waiting for triage"
    LOW_LEVEL = "low_level", "Low-level concern"
    ALLEGATION = "allegation", "Allegation: refer to the LADO"
    REFERRED = "referred", "Referred to the LADO"
    CLOSED = "closed", "Closed"


# Allowed moves. The LADO may advise that a referral does not meet the harm threshold, so a
# referred concern can come back as low-level; a closed concern can be reopened.
CONCERN_MOVES: dict[str, set[str]] = {
    ConcernStatus.RECEIVED: {ConcernStatus.LOW_LEVEL, ConcernStatus.ALLEGATION},
    ConcernStatus.LOW_LEVEL: {ConcernStatus.ALLEGATION, ConcernStatus.CLOSED},
    ConcernStatus.ALLEGATION: {ConcernStatus.REFERRED},
    ConcernStatus.REFERRED: {ConcernStatus.LOW_LEVEL, ConcernStatus.CLOSED},
    ConcernStatus.CLOSED: {ConcernStatus.LOW_LEVEL},
}


class ConcernKind(models.TextChoices):
    LOW_LEVEL = "low_level", "Low-level concern"
    ALLEGATION = "allegation", "Allegation meeting the harm threshold"


class Outcome(models.TextChoices):
    """Clause 6(iv): from no case to answer up to dismissal for gross misconduct."""

    NO_CASE = "no_case", "No case to answer"
    ADVICE = "advice", "Advice and guidance"
    INFORMAL = "informal", "Informal action"
    FORMAL_WARNING = "formal_warning", "Formal warning"
    FINAL_WARNING = "final_warning", "Final written warning"
    DISMISSAL = "dismissal", "Dismissal"


# What the member of staff a concern is about sees once it closes, by outcome. While it is
# open they see nothing (the LADO or HR decides what they are told during an enquiry); never
# its content or who raised it.
SUBJECT_MESSAGE: dict[str, str] = {
    Outcome.NO_CASE: "There is no case to answer. Nothing further will happen.",
    Outcome.ADVICE: "Your line manager will give you advice and guidance on the policy.",
    Outcome.INFORMAL: "Your line manager will talk with you about informal action.",
    Outcome.FORMAL_WARNING: "HR will write to you: a formal warning under the disciplinary "
    "procedure.",
    Outcome.FINAL_WARNING: "HR will write to you: a final written warning under the "
    "disciplinary procedure.",
    Outcome.DISMISSAL: "HR will write to you about the outcome of the disciplinary hearing.",
}


class Concern(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="concerns"
    )
    subject = models.ForeignKey(StaffRecord, on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(max_length=20, choices=ConcernSource.choices)
    complainant = models.CharField(max_length=200, blank=True)
    summary = models.CharField(max_length=200)
    detail = models.TextField()
    occurred_on = models.DateField(null=True, blank=True)
    clauses = models.ManyToManyField(Clause, blank=True, related_name="+")
    status = models.CharField(
        max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.RECEIVED
    )
    kind = models.CharField(max_length=20, choices=ConcernKind.choices, blank=True)
    lado_due = models.DateField(null=True, blank=True)
    lado_referred_on = models.DateField(null=True, blank=True)
    lado_reference = models.CharField(max_length=100, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)
    retain_until = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"concern #{self.pk}"

    def can_move_to(self, status: str) -> bool:
        return status in CONCERN_MOVES[self.status]

    def allowed_moves(self) -> list[ConcernStatus]:
        return [ConcernStatus(s) for s in ConcernStatus.values if self.can_move_to(s)]

    def lado_overdue(self, today: dt.date) -> bool:
        return (
            self.status == ConcernStatus.ALLEGATION
            and self.lado_due is not None
            and self.lado_due < today
        )

    def subject_is_told(self) -> bool:
        return self.status == ConcernStatus.CLOSED and self.outcome in SUBJECT_MESSAGE

    def subject_message(self) -> str:
        return SUBJECT_MESSAGE.get(self.outcome, "") if self.subject_is_told() else ""


class ConcernEvent(models.Model):
    """The chronology: every move, note and attachment, with who and when."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.concern} at {self.at}"

    def from_label(self) -> str:
        return ConcernStatus(self.from_status).label if self.from_status else ""

    def to_label(self) -> str:
        return ConcernStatus(self.to_status).label if self.to_status else ""
