"""The engine's inputs from the database: calendar, identities and work use.

Person keys given to the engine are `staff:<StaffRecord pk>`, so a figure can only ever
land on a staff record of this school; names never pass through the engine.
"""

from __future__ import annotations

from boundaries.core.models import Organisation, StaffRecord
from boundaries.screening.actions import ensure_working_calendar
from boundaries.webactivity.models import IdentityMapping, WebActivitySettings, WorkUseMark
from engines.weblogs import Calendar, Identities, WorkUse

PREFIX = "staff:"


def person_key(staff_id: int) -> str:
    return f"{PREFIX}{staff_id}"


def staff_id_of(key: str) -> int | None:
    if not key.startswith(PREFIX) or not key[len(PREFIX) :].isdigit():
        return None
    return int(key[len(PREFIX) :])


def settings_for(organisation: Organisation) -> WebActivitySettings:
    """The school's settings, or the defaults (unsaved) when it has not chosen yet."""
    found = WebActivitySettings.objects.filter(organisation=organisation).first()
    return found or WebActivitySettings(organisation=organisation)


def calendar_for(organisation: Organisation) -> Calendar:
    return Calendar.from_dict(ensure_working_calendar(organisation, actor=None).as_engine_dict())


def identity_rows(organisation: Organisation) -> list[dict[str, str]]:
    """Uploaded mappings, then work emails and their local parts as logins (proxies log
    either "a.smith" or "a.smith@school.example") when the school allows it.

    These are added only for logins no uploaded mapping names; two staff with the same
    local part both map, so the engine finds the clash and counts it unmapped.
    """
    rows = []
    for m in IdentityMapping.objects.filter(organisation=organisation):
        rows.append(
            {
                "person": person_key(m.staff_id),
                "login": m.login,
                "ip": m.ip or "",
                "valid_from": m.valid_from.isoformat() if m.valid_from else "",
                "valid_to": m.valid_to.isoformat() if m.valid_to else "",
            }
        )
    if settings_for(organisation).match_email_logins:
        claimed = {r["login"].lower() for r in rows if r["login"]}
        staff = StaffRecord.objects.filter(organisation=organisation).exclude(work_email="")
        for record in staff:
            email = record.work_email.strip().lower()
            for login in (email, email.split("@", 1)[0]):
                if login and login not in claimed:
                    rows.append({"person": person_key(record.pk), "login": login})
    return rows


def identities_for(organisation: Organisation) -> Identities:
    return Identities.from_rows(
        identity_rows(organisation), timezone=organisation.timezone, origin="identity mappings"
    )


def work_use_for(organisation: Organisation) -> WorkUse:
    marks = WorkUseMark.objects.filter(organisation=organisation)
    return WorkUse(
        platforms=frozenset(m.platform for m in marks if m.staff_id is None),
        pairs=frozenset(
            (m.platform, person_key(m.staff_id)) for m in marks if m.staff_id is not None
        ),
    )
