"""What the post checker needs that the foundation does not hold: a school's other names.

Nothing a person types into the checker is stored: there is deliberately no model for it.
"""

from __future__ import annotations

from django.db import models

from boundaries.core.models import Organisation


class ScreeningSettings(models.Model):
    """Names people use for the school ("Rivi", "RFPS"), so posts about it are recognised."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="screening_settings"
    )
    aliases = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "screening settings"

    def __str__(self) -> str:
        return f"screening settings of {self.organisation}"
