"""Clause 4.2: per vacancy, the panel's attestation about social-media vetting."""

from __future__ import annotations

from django.db import models

from boundaries.core.models import Organisation, User
from boundaries.policies.models import StatutoryConflict


class Vacancy(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="vacancies"
    )
    title = models.CharField(max_length=200)
    reference = models.CharField(max_length=60, blank=True)
    closing_date = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "vacancies"

    def __str__(self) -> str:
        return f"{self.title} ({self.reference})" if self.reference else self.title


class ShortlistedCandidate(models.Model):
    """A candidate by the panel's own reference (for example "C3"): the least we need."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="candidates")
    reference = models.CharField(max_length=60)

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "reference"], name="candidate_unique_ref")
        ]

    def __str__(self) -> str:
        return self.reference


class AttestationKind(models.TextChoices):
    NO_VETTING = "no_vetting", "No social media vetting took place"
    GOVERNED_SEARCH = (
        "governed_search",
        "Public web searches under the governing body's decision, for every shortlisted "
        "candidate alike",
    )


class RecruitmentAttestation(models.Model):
    vacancy = models.OneToOneField(Vacancy, on_delete=models.CASCADE, related_name="attestation")
    kind = models.CharField(max_length=20, choices=AttestationKind.choices)
    panel = models.CharField(max_length=300)
    conflict = models.ForeignKey(
        StatutoryConflict, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    searched = models.TextField(blank=True)
    candidates_searched = models.ManyToManyField(ShortlistedCandidate, blank=True)
    attested_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    attested_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"attestation for {self.vacancy}"
