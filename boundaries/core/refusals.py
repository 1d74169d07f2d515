"""A log line for each workflow step refused: a move the workflow's table does not allow,
or one the person's role may not make.

The pages offer only the moves a person may make, so a refused one is someone sending what
no page offered (a replayed or hand-made form, an API call, a race with a colleague): the
attempts to get round a control that ASVS V16.3.3 asks to have logged. The line goes on
the same logger as refused pages (security/request_log.py), carries the request's
identifier like every line, and names the record only by its kind and number.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import models

logger = logging.getLogger("boundaries.security.refused")


def refused_step(record: models.Model, to: str, *, actor: Any, reason: str) -> None:
    """`reason` is "move" (not in the workflow's table) or "role" (not this person's to make)."""
    logger.warning(
        "refused-step user=%s kind=%s pk=%s from=%s to=%s reason=%s",
        getattr(actor, "pk", None) or "-",
        record._meta.model_name,
        record.pk,
        getattr(record, "status", "-"),
        to,
        reason,
    )
