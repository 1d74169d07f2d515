"""Controls per clause: suggestions for a school's own wording, and each control's status.

Suggestions are TF-IDF cosine similarity between a clause and each control's catalogue
text: good enough to start a person off, who then confirms the mapping on a page.
Status comes from providers that each feature registers for its controls.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from boundaries.core.models import Organisation
from boundaries.policies.catalogue import Control, controls, words

STOPWORDS = frozenset(
    {
        "the",
        "and",
        "that",
        "this",
        "with",
        "for",
        "are",
        "from",
        "their",
        "they",
        "them",
        "should",
        "which",
        "such",
        "into",
        "have",
        "been",
        "will",
        "would",
        "could",
        "may",
        "can",
        "its",
        "not",
        "any",
        "all",
        "who",
        "when",
        "where",
        "what",
        "other",
        "those",
        "these",
        "than",
        "there",
        "also",
        "only",
        "being",
    }
)


SUFFIXES = (
    "ations",
    "ation",
    "ments",
    "ment",
    "ings",
    "ing",
    "ers",
    "er",
    "ies",
    "es",
    "ed",
    "ly",
    "s",
)


def stem(word: str) -> str:
    """A crude suffix stripper: enough that "recruiting" meets "recruitment"."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _terms(text: str) -> Counter[str]:
    return Counter(stem(w) for w in words(text) if w not in STOPWORDS)


@dataclass(frozen=True)
class Suggestion:
    control: Control
    score: float


def suggest_controls(
    clause_text: str, *, limit: int = 3, threshold: float = 0.08
) -> list[Suggestion]:
    catalogue = list(controls().values())
    docs = [_terms(f"{c.name} {c.description} {c.keywords} {c.keywords}") for c in catalogue]
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(set(doc))
    n = len(docs)

    def vector(counts: Counter[str]) -> dict[str, float]:
        return {
            t: (1 + math.log(k)) * math.log((n + 1) / (df.get(t, 0) + 1)) for t, k in counts.items()
        }

    query = vector(_terms(clause_text))
    qnorm = math.sqrt(sum(v * v for v in query.values())) or 1.0
    scored = []
    for control, doc in zip(catalogue, docs, strict=True):
        vec = vector(doc)
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        dot = sum(weight * vec.get(term, 0.0) for term, weight in query.items())
        scored.append(Suggestion(control, dot / (qnorm * norm)))
    scored.sort(key=lambda s: s.score, reverse=True)
    return [s for s in scored[:limit] if s.score >= threshold]


@dataclass(frozen=True)
class ControlStatus:
    """What a control shows on the clause-by-clause page."""

    state: str  # "ok", "attention", "not_measured"
    summary: str

    @property
    def tag_class(self) -> str:
        return {
            "ok": "govuk-tag--green",
            "attention": "govuk-tag--red",
        }.get(self.state, "govuk-tag--grey")

    @property
    def label(self) -> str:
        return {"ok": "In place", "attention": "Needs attention"}.get(self.state, "Not measured")


StatusProvider = Callable[[Organisation, dt.date], ControlStatus]
_PROVIDERS: dict[str, StatusProvider] = {}


def provides_status(code: str) -> Callable[[StatusProvider], StatusProvider]:
    """Register a feature's status function for one of its controls."""
    if code not in controls():
        raise KeyError(f"unknown control {code!r}")

    def register(func: StatusProvider) -> StatusProvider:
        _PROVIDERS[code] = func
        return func

    return register


def control_status(code: str, organisation: Organisation, today: dt.date) -> ControlStatus:
    provider = _PROVIDERS.get(code)
    if provider is None:
        return ControlStatus("not_measured", "Boundaries does not measure this control yet.")
    return provider(organisation, today)
