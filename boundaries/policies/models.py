"""Policies, their versions, and each version's tree of clauses as the document numbers them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db import models

from boundaries.core.models import Organisation, User


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)


class PolicyKind(models.TextChoices):
    SOCIAL_MEDIA = "social_media", "Social networking sites and social media"
    ACCEPTABLE_USE = "acceptable_use", "Acceptable use"
    DISCIPLINARY = "disciplinary", "Disciplinary procedure"
    SAFER_WORKING = "safer_working", "Safer working practice"
    OTHER = "other", "Other"


class Policy(models.Model):
    """A policy an organisation keeps; an authority's policy with is_model=True is a model."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="policies"
    )
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=PolicyKind.choices, default=PolicyKind.OTHER)
    is_model = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "policies"

    def __str__(self) -> str:
        return self.title

    def version_in_force(self) -> PolicyVersion | None:
        return self.versions.filter(status=VersionStatus.IN_FORCE).first()


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    RATIFIED = "ratified", "Ratified"
    IN_FORCE = "in_force", "In force"
    SUPERSEDED = "superseded", "Superseded"


# A school's version is ratified by its governors before it comes into force; an
# authority's model version is published straight from draft.
SCHOOL_TRANSITIONS: dict[str, set[str]] = {
    VersionStatus.DRAFT: {VersionStatus.RATIFIED},
    VersionStatus.RATIFIED: {VersionStatus.IN_FORCE, VersionStatus.DRAFT},
    VersionStatus.IN_FORCE: {VersionStatus.SUPERSEDED},
    VersionStatus.SUPERSEDED: set(),
}
MODEL_TRANSITIONS: dict[str, set[str]] = {
    VersionStatus.DRAFT: {VersionStatus.IN_FORCE},
    VersionStatus.IN_FORCE: {VersionStatus.SUPERSEDED},
    VersionStatus.SUPERSEDED: set(),
}


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"


class PolicyVersion(models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    title = models.CharField(max_length=300)
    preamble = models.TextField(blank=True)
    date_written = models.DateField(null=True, blank=True)
    date_written_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    date_ratified = models.DateField(null=True, blank=True)
    date_ratified_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    ratification_minute_ref = models.CharField(max_length=100, blank=True)
    date_adopted = models.DateField(null=True, blank=True)
    date_in_force = models.DateField(null=True, blank=True)
    next_review = models.DateField(null=True, blank=True)
    adopted_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="adoptions"
    )
    source_filename = models.CharField(max_length=255, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    change_note = models.TextField(blank=True)
    material_change = models.BooleanField(
        default=True,
        help_text="Set when it comes into force: everyone in scope must read it again.",
    )
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="version_unique_number"),
            models.UniqueConstraint(
                fields=["policy"],
                condition=models.Q(status="in_force"),
                name="one_version_in_force",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} v{self.number}"

    @property
    def organisation(self) -> Organisation:
        return self.policy.organisation

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT

    def transitions(self) -> dict[str, set[str]]:
        return MODEL_TRANSITIONS if self.policy.is_model else SCHOOL_TRANSITIONS

    def can_move_to(self, status: str) -> bool:
        return status in self.transitions().get(self.status, set())

    def review_due(self) -> dt.date | None:
        """The set review date, else twelve months after ratification (or publication)."""
        if self.next_review:
            return self.next_review
        start = self.date_ratified or self.date_in_force
        return add_months(start, 12) if start else None

    def review_overdue(self, today: dt.date) -> bool:
        due = self.review_due()
        return self.status == VersionStatus.IN_FORCE and due is not None and due < today

    def clause_tree(self) -> list[Clause]:
        """All clauses with `.children_list` filled, fetched in one query."""
        clauses = list(self.clauses.prefetch_related("notes", "controls").order_by("position"))
        by_id = {c.pk: c for c in clauses}
        roots: list[Clause] = []
        for clause in clauses:
            clause.children_list = []
        for clause in clauses:
            parent = by_id.get(clause.parent_id) if clause.parent_id else None
            (parent.children_list if parent else roots).append(clause)
        return roots

    def compute_content_hash(self) -> str:
        payload = [
            {
                "number": c.number,
                "heading": c.heading,
                "text": c.text,
                "notes": [[n.kind, n.text] for n in c.notes.all()],
            }
            for c in self.clauses.prefetch_related("notes").order_by("position")
        ]
        body = json.dumps({"title": self.title, "clauses": payload}, sort_keys=True)
        return hashlib.sha256(body.encode()).hexdigest()

    def snapshot(self) -> dict[str, Any]:
        return {
            "policy": self.policy_id,
            "number": self.number,
            "status": self.status,
            "title": self.title,
            "date_written": self.date_written,
            "date_ratified": self.date_ratified,
            "ratification_minute_ref": self.ratification_minute_ref,
            "date_adopted": self.date_adopted,
            "date_in_force": self.date_in_force,
            "next_review": self.next_review,
            "adopted_from": self.adopted_from_id,
            "content_hash": self.content_hash,
        }


def clause_anchor(number: str) -> str:
    """`4.1(iv)` -> `clause-4.1-iv`, the fragment people link to."""
    slug = number.replace("(", "-").replace(")", "").replace(" ", "")
    return f"clause-{slug.strip('-')}"


class Clause(models.Model):
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="clauses")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    number = models.CharField(max_length=40)
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    position = models.PositiveIntegerField()
    depth = models.PositiveSmallIntegerField(default=0)

    children_list: list[Clause]

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="clause_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.heading}".strip()

    @property
    def anchor(self) -> str:
        return clause_anchor(self.number)


class NoteKind(models.TextChoices):
    FOOTNOTE = "footnote", "Footnote"
    QUOTATION = "quotation", "Quoted guidance"


class ClauseNote(models.Model):
    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=20, choices=NoteKind.choices)
    text = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["clause", "position"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.clause.number}"


class ClauseControl(models.Model):
    """A clause implemented by a control from the shipped catalogue (controls.toml)."""

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="controls")
    control = models.CharField(max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clause", "control"], name="clause_control_unique")
        ]

    def __str__(self) -> str:
        return f"{self.clause.number} -> {self.control}"


class StatutoryConflict(models.Model):
    """A clause in tension with statutory guidance, and the governing body's decision."""

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="conflicts")
    guidance = models.CharField(max_length=300)
    reason = models.TextField()
    decision = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decision_minute_ref = models.CharField(max_length=100, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)

    def __str__(self) -> str:
        return f"{self.clause.number} vs {self.guidance}"

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)


class PolicyLink(models.Model):
    """A related policy or guidance a clause points to (for example 6(ii), 6(iii))."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="links")
    clause_number = models.CharField(max_length=40, blank=True)
    title = models.CharField(max_length=300)
    target = models.ForeignKey(
        Policy, null=True, blank=True, on_delete=models.SET_NULL, related_name="linked_from"
    )
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["clause_number", "title"]

    def __str__(self) -> str:
        return self.title


class ReviewReminder(models.Model):
    """One reminder email per version, stage and recipient: the row is claimed before sending."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=20)
    recipient = models.EmailField()
    due = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "stage", "recipient", "due"], name="reminder_once_per_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stage} to {self.recipient} for {self.version}"
