"""The post checker's entry points: one post, or a batch scored by the model in one go."""

from collections.abc import Callable, Iterable
from datetime import datetime

from engines.postcheck.context import Context
from engines.postcheck.errors import PostcheckError
from engines.postcheck.model import OffensiveModel, load_model
from engines.postcheck.post import Post, read_post
from engines.postcheck.rules import (
    audience,
    contact_details,
    defamation,
    derogatory,
    former_pupils,
    pupil_data,
    requests_to_pupils,
    timing,
)
from engines.postcheck.verdict import AUDIENCES, Finding, Verdict, verdict_of

RULES: tuple[Callable[[Post], list[Finding]], ...] = (
    timing.find,
    audience.find,
    former_pupils.find,
    contact_details.find,
    pupil_data.find,
    requests_to_pupils.find,
    derogatory.find,
    defamation.find,
)


def check(
    text: str,
    *,
    audience: str,
    at: datetime | None,
    context: Context,
    scores: bool = False,
    model: OffensiveModel | None = None,
) -> Verdict:
    """Check one draft. ``at`` is when it would be posted; naive times are school-local."""
    model = model or load_model()
    return _verdict(text, audience, at, context, model, model.score(text), scores)


def check_many(
    items: Iterable[tuple[str, str, datetime | None]],
    context: Context,
    *,
    scores: bool = False,
    model: OffensiveModel | None = None,
) -> list[Verdict]:
    """Check ``(text, audience, at)`` items; the model scores them all in one numpy pass."""
    model = model or load_model()
    batch = list(items)
    offensive = model.score_many([text for text, _, _ in batch])
    return [
        _verdict(text, aud, at, context, model, score, scores)
        for (text, aud, at), score in zip(batch, offensive, strict=True)
    ]


def _verdict(
    text: str,
    audience: str,
    at: datetime | None,
    context: Context,
    model: OffensiveModel,
    offensive: float,
    scores: bool,
) -> Verdict:
    if audience not in AUDIENCES:
        raise PostcheckError(f"audience: {audience!r} is not one of {', '.join(AUDIENCES)}")
    if not isinstance(text, str):
        raise PostcheckError("text: expected a string")
    post = read_post(
        text, audience, _local(at, context), context, context.name_index, offensive, model
    )
    findings = _distinct(f for rule in RULES for f in rule(post))
    return Verdict(
        verdict=verdict_of(findings),
        findings=findings,
        text=text,
        scores={"offensive": round(offensive, 4)} if scores else None,
    )


def _local(at: datetime | None, context: Context) -> datetime | None:
    if at is None:
        return None
    if not isinstance(at, datetime):
        raise PostcheckError("at: expected a datetime")
    if at.tzinfo is None:
        return at.replace(tzinfo=context.timezone)
    return at.astimezone(context.timezone)


def _distinct(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    seen: dict[tuple[str, int, int], Finding] = {}
    for finding in findings:
        seen.setdefault((finding.code, finding.start, finding.end), finding)
    return tuple(sorted(seen.values(), key=lambda f: (f.start, f.end, f.clause, f.code)))
