"""Rivington's other names, so the demo's post check recognises posts about the school."""

from __future__ import annotations

from boundaries.core.models import Organisation, User
from boundaries.screening.actions import ensure_working_calendar, save_aliases
from boundaries.screening.models import ScreeningSettings

ALIASES = ["Rivington Primary", "RFPS", "Rivi"]


def build_demo(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    school = orgs["rivington"]
    made = {"screening aliases": 0}
    ensure_working_calendar(school, actor=None)
    if not ScreeningSettings.objects.filter(organisation=school).exists():
        save_aliases(school, ALIASES, actor=users.get("head.rivington"))
        made["screening aliases"] = len(ALIASES)
    return made
