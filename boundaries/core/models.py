"""Organisations, people, the roles they hold, and the append-only audit chain."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower

from boundaries.core.roles import OrganisationKind, Role


class Organisation(models.Model):
    """An authority or trust, or one of its schools and central services (clause 2)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    email_domains = models.JSONField(default=list, blank=True)
    timezone = models.CharField(max_length=64, default="Europe/London")
    governors_contact_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_umbrella(self) -> bool:
        return self.kind in OrganisationKind.umbrellas()

    def ancestors(self) -> list[Organisation]:
        chain: list[Organisation] = []
        node = self.parent
        while node is not None and node not in chain:
            chain.append(node)
            node = node.parent
        return chain


class User(AbstractUser):
    """A person who signs in. Email is unique so people can sign in with it."""

    email = models.EmailField(unique=True)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """A role held by a person in one organisation; a person may hold many."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"


class StaffRecord(models.Model):
    """What the school knows of a member of staff, whether or not they have an account."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="staff")
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="staff_records"
    )
    mis_id = models.CharField(max_length=64, blank=True)
    full_name = models.CharField(max_length=200)
    work_email = models.EmailField(blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    team = models.CharField(max_length=100, blank=True)
    start_date = models.DateField(null=True, blank=True)
    leaving_date = models.DateField(null=True, blank=True)
    works_with_children = models.BooleanField(default=True)
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "mis_id"],
                condition=~models.Q(mis_id=""),
                name="staff_unique_mis_id",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def is_current(self, today: dt.date) -> bool:
        started = self.start_date is None or self.start_date <= today
        return started and (self.leaving_date is None or self.leaving_date > today)


class AuditEvent(models.Model):
    """One write or sensitive read. Append-only; each row's hash covers the previous hash."""

    seq = models.BigIntegerField(unique=True)
    created_at = models.DateTimeField()
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    actor_label = models.CharField(max_length=200)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.actor_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("audit events are append-only")


class AuditHead(models.Model):
    """The single row that writers lock to append to the chain one at a time."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head at #{self.last_seq}"


def default_weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]


def default_breaks() -> list[list[str]]:
    return [["12:00", "13:00"]]


class WorkingCalendar(models.Model):
    """A school's working days and hours (clause 4.1(i)), in its own time zone.

    Shared by the post check (is it working time?) and the web activity report.
    `term_dates` is a list of [start, end] ISO dates; `closed_days` ISO dates (INSET days).
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="working_calendar"
    )
    weekdays = models.JSONField(default=default_weekdays)
    start = models.TimeField(default=dt.time(8, 30))
    end = models.TimeField(default=dt.time(15, 30))
    breaks = models.JSONField(default=default_breaks, blank=True)
    term_dates = models.JSONField(default=list, blank=True)
    closed_days = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"working hours of {self.organisation}"

    def as_engine_dict(self) -> dict[str, Any]:
        """The shape both engines take: see engines/postcheck and engines/weblogs."""
        return {
            "timezone": self.organisation.timezone,
            "weekdays": list(self.weekdays),
            "start": self.start.strftime("%H:%M"),
            "end": self.end.strftime("%H:%M"),
            "breaks": [list(b) for b in self.breaks],
            "term_dates": [list(t) for t in self.term_dates],
            "closed_days": list(self.closed_days),
        }


class ApiToken(models.Model):
    """A revocable API token for one organisation; only its hash is stored."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    token_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
