"""Aggregates of web-filter logs, never the log lines themselves (clause 4.1(i)).

Per member of staff per working day: how many requests, how many to social media in
working hours outside breaks, distinct minutes of that use, blocked attempts, and
requests by platform. Each figure points to the run that produced it: engine version,
rules fingerprint, format and the SHA-256 of every source file.
"""

from __future__ import annotations

from django.db import models

from boundaries.core.models import Organisation, StaffRecord, User


class WebActivitySettings(models.Model):
    """What the school decided: its threshold, how long figures are kept, how logins map."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="webactivity_settings"
    )
    threshold_minutes = models.PositiveIntegerField(default=15)
    retention_days = models.PositiveIntegerField(default=180)
    match_email_logins = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "web activity settings"

    def __str__(self) -> str:
        return f"web activity settings of {self.organisation}"


class IdentityMapping(models.Model):
    """A proxy login or an IP address that stood for one member of staff, for a while.

    Windows are [valid_from, valid_to); empty means open-ended. An IP lease needs a window.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="identity_mappings"
    )
    staff = models.ForeignKey(StaffRecord, on_delete=models.CASCADE, related_name="identities")
    login = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_to = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["staff__full_name", "login", "ip"]

    def __str__(self) -> str:
        return f"{self.login or self.ip} -> {self.staff}"


class WorkUseMark(models.Model):
    """A platform counted as work use, for everyone or for one person (the school's pages)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="work_use_marks"
    )
    platform = models.CharField(max_length=100)
    staff = models.ForeignKey(
        StaffRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["platform"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "platform", "staff"], name="work_use_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation", "platform"],
                condition=models.Q(staff__isnull=True),
                name="work_use_unique_everyone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform} ({self.staff or 'everyone'})"


class AnalysisRun(models.Model):
    """One analysis of one or more log files: the rules and the counts of what was not used."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="analysis_runs"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    engine_version = models.CharField(max_length=20)
    rules_fingerprint = models.CharField(max_length=64)
    format = models.CharField(max_length=20)
    lines = models.BigIntegerField(default=0)
    unparsed_lines = models.BigIntegerField(default=0)
    unmapped_lines = models.BigIntegerField(default=0)
    unmapped_identities = models.PositiveIntegerField(default=0)
    unmapped_platform_lines = models.BigIntegerField(default=0)
    work_use_requests = models.BigIntegerField(default=0)
    first_day = models.DateField(null=True, blank=True)
    last_day = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"analysis of {self.created_at:%Y-%m-%d %H:%M}"


class SourceLog(models.Model):
    """A log file that a run read: its name and checksum, never its content."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="sources")
    name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    compression = models.CharField(max_length=10)
    size = models.BigIntegerField()
    lines = models.BigIntegerField()
    unparsed_lines = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.name} ({self.sha256[:12]})"


class DayFigure(models.Model):
    """One member of staff's use on one working day; one row per person and day."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="day_figures"
    )
    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="days")
    staff = models.ForeignKey(StaffRecord, on_delete=models.CASCADE, related_name="day_figures")
    date = models.DateField()
    requests = models.PositiveIntegerField()
    social_requests = models.PositiveIntegerField()
    social_minutes = models.PositiveIntegerField()
    blocked_social_requests = models.PositiveIntegerField()
    platforms = models.JSONField(default=dict)

    class Meta:
        ordering = ["date", "staff__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "staff", "date"], name="day_figure_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "date"])]

    def __str__(self) -> str:
        return f"{self.staff} on {self.date}"

    def above(self, threshold: int) -> bool:
        return self.social_minutes > threshold


class ChallengeStatus(models.TextChoices):
    OPEN = "open", "Waiting for the headteacher"
    ANSWERED = "answered", "Answered"


CHALLENGE_MOVES: dict[str, set[str]] = {
    ChallengeStatus.OPEN: {ChallengeStatus.ANSWERED},
    ChallengeStatus.ANSWERED: set(),
}


class FigureChallenge(models.Model):
    """A member of staff disputing a figure about them (ICO: see and challenge)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="figure_challenges"
    )
    staff = models.ForeignKey(StaffRecord, on_delete=models.CASCADE, related_name="challenges")
    date = models.DateField()
    minutes_shown = models.PositiveIntegerField()
    note = models.TextField()
    status = models.CharField(
        max_length=20, choices=ChallengeStatus.choices, default=ChallengeStatus.OPEN
    )
    answer = models.TextField(blank=True)
    created_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"challenge by {self.staff} about {self.date}"

    def can_move_to(self, status: str) -> bool:
        return status in CHALLENGE_MOVES[self.status]

    def is_open(self) -> bool:
        return self.status == ChallengeStatus.OPEN
