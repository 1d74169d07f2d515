"""What the checker returns: findings that cite a clause, and the verdict they add up to."""

from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["caution", "stop"]
AUDIENCES = ("public", "friends", "pupil", "parent", "staff_group", "colleague")
VERDICTS = ("ok", "caution", "stop")


@dataclass(frozen=True)
class Finding:
    clause: str
    code: str
    start: int
    end: int
    message: str
    suggestion: str
    severity: Severity

    def to_json(self, text: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "clause": self.clause,
            "code": self.code,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "suggestion": self.suggestion,
            "severity": self.severity,
        }
        if text is not None:
            out["words"] = text[self.start : self.end]
        return out


@dataclass(frozen=True)
class Verdict:
    verdict: Literal["ok", "caution", "stop"]
    findings: tuple[Finding, ...]
    text: str
    scores: dict[str, float] | None = None

    @property
    def clauses(self) -> tuple[str, ...]:
        return tuple(sorted({f.clause for f in self.findings}))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "verdict": self.verdict,
            "findings": [f.to_json(self.text) for f in self.findings],
        }
        if self.scores is not None:
            out["scores"] = self.scores
        return out


def verdict_of(findings: tuple[Finding, ...]) -> Literal["ok", "caution", "stop"]:
    if any(f.severity == "stop" for f in findings):
        return "stop"
    return "caution" if findings else "ok"
