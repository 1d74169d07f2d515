"""`POST /api/v1/screen`: check a draft for an integration. Nothing is stored.

An API token with the "screen" scope checks against its own organisation's context; a
signed-in person names the organisation (or has exactly one where they may check).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from boundaries.api.tokens import TokenUser
from boundaries.core.access import can, organisation_for, organisations_of
from boundaries.core.models import Organisation
from boundaries.screening.checking import check_for_school
from boundaries.screening.forms import AUDIENCE_CHOICES, MAX_TEXT

router = Router()
AUDIENCES = [a for a, _ in AUDIENCE_CHOICES]


class ScreenIn(Schema):
    text: str
    audience: str = "public"
    posted_at: dt.datetime | None = None
    organisation: str | None = None


class FindingOut(Schema):
    clause: str
    clause_url: str | None
    code: str
    severity: str
    start: int
    end: int
    words: str
    message: str
    suggestion: str


class ScreenOut(Schema):
    organisation: str
    verdict: str
    posted_at: dt.datetime
    findings: list[FindingOut]


class ScreenError(Schema):
    detail: str


def _organisation(request: HttpRequest, slug: str | None) -> Organisation:
    user: Any = request.user
    if isinstance(user, TokenUser):
        if "screen" not in user.token.scopes:
            raise HttpError(403, "This token does not have the screen scope")
        org = user.token.organisation
        if slug and slug != org.slug:
            raise HttpError(404, "Not found")
        return org
    if slug:
        return organisation_for(user, slug, "screening.use")
    mine = [o for o in organisations_of(user) if can(user, "screening.use", o)]
    if len(mine) != 1:
        raise HttpError(400, "Name the organisation: you can check posts in several, or none")
    return mine[0]


@router.post(
    "/screen",
    response={200: ScreenOut, 400: ScreenError, 403: ScreenError},
    summary="Check a draft post against the school's policy",
)
def screen(request: HttpRequest, payload: ScreenIn) -> Any:
    """Verdict (`ok`, `caution`, `stop`) and findings citing clauses; the text is not stored."""
    organisation = _organisation(request, payload.organisation)
    if payload.audience not in AUDIENCES:
        return Status(400, {"detail": f"audience must be one of {', '.join(AUDIENCES)}"})
    if not payload.text.strip() or len(payload.text) > MAX_TEXT:
        return Status(400, {"detail": f"text must be 1 to {MAX_TEXT} characters"})
    result = check_for_school(
        organisation, payload.text, audience=payload.audience, at=payload.posted_at
    )
    return {
        "organisation": organisation.slug,
        "verdict": result.verdict.verdict,
        "posted_at": result.posted_at,
        "findings": [
            {
                **item.finding.to_json(payload.text),
                "words": item.words,
                "clause_url": item.clause.url if item.clause else None,
            }
            for item in result.findings
        ],
    }
