"""Web-filter logs -> per-person working-hours social media use (clause 4.1(i)).

Framework-free: no Django, no clock, no settings. Give it files and rules; it returns
frozen dataclasses. See docs/weblogs-formats.md and docs/decisions/0004-weblogs-engine.md.
"""

from engines.weblogs.analysis import Analysis, DayUse, SourceFile, UnparsedLine
from engines.weblogs.catalogue import Catalogue, Platform, load_catalogue
from engines.weblogs.engine import ENGINE_VERSION, FORMATS, analyse, rules_fingerprint
from engines.weblogs.errors import WeblogsError
from engines.weblogs.identities import Identities
from engines.weblogs.workcalendar import Calendar
from engines.weblogs.workuse import WorkUse

__all__ = [
    "ENGINE_VERSION",
    "FORMATS",
    "Analysis",
    "Calendar",
    "Catalogue",
    "DayUse",
    "Identities",
    "Platform",
    "SourceFile",
    "UnparsedLine",
    "WeblogsError",
    "WorkUse",
    "analyse",
    "load_catalogue",
    "rules_fingerprint",
]
