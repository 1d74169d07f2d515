"""Pupils and their parents and carers, imported from the school's MIS.

The least the features need: names as people write them (for the post check), dates of
birth (to flag former pupils under 18) and who is linked to whom (for declarations).
"""

from __future__ import annotations

import datetime as dt

from django.db import models

from boundaries.core.models import Organisation


class Pupil(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="pupils")
    mis_id = models.CharField(max_length=64, blank=True)
    full_name = models.CharField(max_length=200)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    year_group = models.CharField(max_length=20, blank=True)
    leaving_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "mis_id"],
                condition=~models.Q(mis_id=""),
                name="pupil_unique_mis_id",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def is_former(self, today: dt.date) -> bool:
        return self.leaving_date is not None and self.leaving_date <= today

    def age_on(self, day: dt.date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Carer(models.Model):
    """A parent or carer, linked to the pupils they are responsible for."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="carers")
    mis_id = models.CharField(max_length=64, blank=True)
    full_name = models.CharField(max_length=200)
    pupils = models.ManyToManyField(Pupil, related_name="carers", blank=True)

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "mis_id"],
                condition=~models.Q(mis_id=""),
                name="carer_unique_mis_id",
            )
        ]

    def __str__(self) -> str:
        return self.full_name
