"""Exports of sensitive records leave an audit event saying who took how many rows."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from boundaries.core import audit
from boundaries.core.models import Organisation, User


def record_export(
    organisation: Organisation,
    kind: str,
    rows: int,
    *,
    actor: User,
    now: dt.datetime | None = None,
) -> None:
    with transaction.atomic():
        audit.record(
            f"{kind}.exported",
            actor=actor,
            organisation=organisation,
            after={"rows": rows},
            now=now,
        )
