"""Check one draft for a school: the engine with the school's context, and nothing stored.

The text lives only in this request: it is not saved, not audited and not logged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from boundaries.core.models import Organisation
from boundaries.screening.actions import ensure_working_calendar
from boundaries.screening.clauses import ClauseRef, clause_refs
from boundaries.screening.schoolcontext import context_for
from engines.postcheck import Finding, Verdict, check

VERDICT_TEXT = {
    "ok": ("Nothing found", "Nothing in this draft goes against the school's policy."),
    "caution": ("Think again", "Some of this draft may go against the school's policy."),
    "stop": ("Do not post this", "This draft goes against the school's policy."),
}


@dataclass(frozen=True)
class ShownFinding:
    finding: Finding
    words: str
    clause: ClauseRef | None


@dataclass(frozen=True)
class Checked:
    verdict: Verdict
    findings: tuple[ShownFinding, ...]
    posted_at: dt.datetime

    @property
    def title(self) -> str:
        return VERDICT_TEXT[self.verdict.verdict][0]

    @property
    def summary(self) -> str:
        return VERDICT_TEXT[self.verdict.verdict][1]

    def highlighted(self) -> SafeString:
        """The draft with the words behind any finding in <mark>, everything else escaped."""
        text = self.verdict.text
        spans = sorted((f.start, f.end) for f in self.verdict.findings if f.end > f.start)
        merged: list[list[int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        out: list[str] = []
        at = 0
        for start, end in merged:
            out.append(escape(text[at:start]))
            out.append(f"<mark>{escape(text[start:end])}</mark>")
            at = end
        out.append(escape(text[at:]))
        return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def local_now(organisation: Organisation) -> dt.datetime:
    return timezone.now().astimezone(ZoneInfo(organisation.timezone))


def check_for_school(
    organisation: Organisation, text: str, *, audience: str, at: dt.datetime | None
) -> Checked:
    """`at` naive means school-local time; None means now."""
    zone = ZoneInfo(organisation.timezone)
    moment = local_now(organisation) if at is None else at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    moment = moment.astimezone(zone)
    calendar = ensure_working_calendar(organisation, actor=None)
    context = context_for(organisation, moment.date(), calendar)
    verdict = check(text, audience=audience, at=moment, context=context)
    refs = clause_refs(organisation, {f.clause for f in verdict.findings})
    shown = tuple(
        ShownFinding(f, text[f.start : f.end], refs.get(f.clause)) for f in verdict.findings
    )
    return Checked(verdict, shown, moment)
