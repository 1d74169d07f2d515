"""Post checker: a draft post + audience + time + the school's context -> a verdict whose
every finding cites a clause of the staff social media policy. Framework-free and pure:
it never reads the clock, the network or settings."""

from engines.postcheck.checker import check, check_many
from engines.postcheck.context import Context, Organisation, Person, WorkingHours
from engines.postcheck.errors import PostcheckError
from engines.postcheck.verdict import AUDIENCES, Finding, Verdict

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
