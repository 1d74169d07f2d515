"""Post checker: a draft post + audience + time + the school's context -> a verdict whose
every finding cites a clause of the staff social media policy. Framework-free and pure:
it never reads the clock, the network or settings."""

from typing import TYPE_CHECKING, Any

from engines.postcheck.context import Context, Organisation, Person, WorkingHours
from engines.postcheck.errors import PostcheckError
from engines.postcheck.verdict import AUDIENCES, Finding, Verdict

if TYPE_CHECKING:
    from engines.postcheck.checker import check, check_many


def __getattr__(name: str) -> Any:
    """The checker (and its model) loads on first use, so commands that only need the
    audiences, such as the CLI's help, start quickly."""
    if name in {"check", "check_many"}:
        from engines.postcheck import checker

        return getattr(checker, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AUDIENCES",
    "Context",
    "Finding",
    "Organisation",
    "Person",
    "PostcheckError",
    "Verdict",
    "WorkingHours",
    "check",
    "check_many",
]
