"""Connection declarations: an existing online connection with a parent, carer, pupil or
former pupil, the advice the school gave, the acknowledgement and the review."""

from __future__ import annotations

import datetime as dt

from django.db import models

from boundaries.core.models import Organisation, StaffRecord, User
from boundaries.roster.models import Carer, Pupil

DEFAULT_ADVICE = """\
You have told us about an online connection with someone who is now a parent, carer or \
pupil of the school, or a former pupil. Thank you: declaring it protects you and them.

Your relationship with this person has changed. Whatever it was before, you are now \
connected through the school, and they may see you first as a member of its staff.

Staying in touch on social media carries risks. Private messages can be misread or shared, \
you may learn things about pupils or families that you should not know outside school, and a \
parent or pupil may expect a response or a favour that your role does not allow. If a \
concern were ever raised, you could find it hard to show that nothing improper happened.

Continuing this kind of contact goes against the school's social media policy. If it \
continues, you may be putting yourself at risk of formal action under the school's \
disciplinary procedure. Your line manager or the designated safeguarding lead will talk \
with you about what to do next.
"""


class CounterpartKind(models.TextChoices):
    PARENT_CARER = "parent_carer", "A parent or carer"
    PUPIL = "pupil", "A pupil"
    FORMER_PUPIL = "former_pupil", "A former pupil"


class Relationship(models.TextChoices):
    RELATIVE = "relative", "We are related"
    PRIOR_FRIENDSHIP = "prior_friendship", "A friendship from before my role or their link"
    OTHER = "other", "Something else"


class DeclarationStatus(models.TextChoices):
    AWAITING_ACKNOWLEDGEMENT = "awaiting_acknowledgement", "Advice to acknowledge"
    AWAITING_REVIEW = "awaiting_review", "Waiting for review"
    REVIEWED = "reviewed", "Reviewed"
    ENDED = "ended", "Connection ended"


DECLARATION_MOVES: dict[str, set[str]] = {
    DeclarationStatus.AWAITING_ACKNOWLEDGEMENT: {DeclarationStatus.AWAITING_REVIEW},
    DeclarationStatus.AWAITING_REVIEW: {DeclarationStatus.REVIEWED, DeclarationStatus.ENDED},
    DeclarationStatus.REVIEWED: {DeclarationStatus.ENDED, DeclarationStatus.AWAITING_REVIEW},
    DeclarationStatus.ENDED: set(),
}


class DeclarationOutcome(models.TextChoices):
    CONTINUE_WITH_ADVICE = "continue_with_advice", "May continue, with the advice given"
    END_CONNECTION = "end_connection", "Asked to end the connection"
    ESCALATE = "escalate", "Escalated to the DSL or headteacher"


class AdviceText(models.Model):
    """The school's own advice shown after a declaration; the default is DEFAULT_ADVICE."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="declaration_advice"
    )
    text = models.TextField()
    updated_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"declaration advice of {self.organisation}"


class ConnectionDeclaration(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="connection_declarations"
    )
    staff = models.ForeignKey(StaffRecord, on_delete=models.PROTECT, related_name="declarations")
    declared_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="declarations_made"
    )
    counterpart_kind = models.CharField(max_length=20, choices=CounterpartKind.choices)
    pupil = models.ForeignKey(
        Pupil, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    carer = models.ForeignKey(
        Carer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    counterpart_name = models.CharField(max_length=200, blank=True)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    relationship_detail = models.CharField(max_length=300, blank=True)
    platforms = models.JSONField(default=list)
    since = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=30,
        choices=DeclarationStatus.choices,
        default=DeclarationStatus.AWAITING_ACKNOWLEDGEMENT,
    )
    advice_shown = models.TextField(blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=DeclarationOutcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    last_confirmed_on = models.DateField()
    reminded_for = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"declaration #{self.pk} by {self.staff}"

    @property
    def counterpart_label(self) -> str:
        if self.pupil_id is not None and self.pupil is not None:
            return self.pupil.full_name
        if self.carer_id is not None and self.carer is not None:
            return self.carer.full_name
        return self.counterpart_name

    def can_move_to(self, status: str) -> bool:
        return status in DECLARATION_MOVES[self.status]

    def former_pupil_age(self, today: dt.date) -> int | None:
        if self.counterpart_kind != CounterpartKind.FORMER_PUPIL or self.pupil is None:
            return None
        return self.pupil.age_on(today)

    def under_18(self, today: dt.date) -> bool:
        """Clause 4.1(v): a connection with a former pupil under 18 needs the closest look."""
        if self.counterpart_kind == CounterpartKind.PUPIL:
            return True
        age = self.former_pupil_age(today)
        return age is not None and age < 18

    def reconfirmation_due(self) -> dt.date:
        day = self.last_confirmed_on
        try:
            return day.replace(year=day.year + 1)
        except ValueError:
            return day.replace(year=day.year + 1, day=28)

    def is_active(self) -> bool:
        return self.status != DeclarationStatus.ENDED

    def reconfirmation_overdue(self, today: dt.date) -> bool:
        return self.is_active() and self.reconfirmation_due() <= today
