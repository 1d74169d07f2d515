"""The school's context: who is who, when the working day is, which domains are its own.

Built from a JSON object (a file for the CLI, the database for the page) and validated
here, so that a bad field is reported by name rather than failing deep inside a rule.
"""

import re
from dataclasses import dataclass, field
from datetime import date, time
from functools import cached_property
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from engines.postcheck.errors import PostcheckError

if TYPE_CHECKING:
    from engines.postcheck.names import NameIndex

ROLES = ("pupil", "former_pupil", "parent", "staff")
DEFAULT_TIMEZONE = "Europe/London"
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Organisation:
    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkingHours:
    weekdays: frozenset[int]
    start: time
    end: time
    breaks: tuple[tuple[time, time], ...] = ()


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    aliases: tuple[str, ...] = ()
    date_of_birth: date | None = None

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class Context:
    organisation: Organisation
    working_hours: WorkingHours | None
    people: tuple[Person, ...]
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIMEZONE))

    @cached_property
    def name_index(self) -> "NameIndex":
        """Built on first use and kept with the context, so a batch builds it once."""
        from engines.postcheck.names import NameIndex

        return NameIndex(self)

    @classmethod
    def from_dict(cls, data: object) -> "Context":
        """Validate and build; every error names the field at fault."""
        obj = _mapping(data, "context")
        org = _mapping(obj.get("organisation"), "organisation")
        organisation = Organisation(
            name=_text(org.get("name"), "organisation.name"),
            aliases=_texts(org.get("aliases", []), "organisation.aliases"),
            domains=tuple(
                d.lower() for d in _texts(org.get("domains", []), "organisation.domains")
            ),
        )
        hours = obj.get("working_hours")
        people = obj.get("people", [])
        if not isinstance(people, list):
            raise PostcheckError("people: expected a list of people")
        zone_name = obj.get("timezone", DEFAULT_TIMEZONE)
        try:
            zone = ZoneInfo(_text(zone_name, "timezone"))
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise PostcheckError(f"timezone: unknown time zone {zone_name!r}") from error
        return cls(
            organisation=organisation,
            working_hours=None if hours is None else _working_hours(hours),
            people=tuple(_person(p, f"people[{i}]") for i, p in enumerate(people)),
            timezone=zone,
        )


def _working_hours(data: object) -> WorkingHours:
    obj = _mapping(data, "working_hours")
    days = obj.get("weekdays", [0, 1, 2, 3, 4])
    if not isinstance(days, list) or not all(
        isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6 for d in days
    ):
        raise PostcheckError("working_hours.weekdays: expected a list of integers 0 (Monday) to 6")
    breaks = obj.get("breaks", [])
    if not isinstance(breaks, list):
        raise PostcheckError("working_hours.breaks: expected a list of [start, end] pairs")
    pairs = []
    for i, pair in enumerate(breaks):
        where = f"working_hours.breaks[{i}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise PostcheckError(f'{where}: expected a pair ["HH:MM", "HH:MM"]')
        pairs.append((_clock(pair[0], where), _clock(pair[1], where)))
    start = _clock(obj.get("start"), "working_hours.start")
    end = _clock(obj.get("end"), "working_hours.end")
    if end <= start:
        raise PostcheckError("working_hours.end: must be later than working_hours.start")
    return WorkingHours(frozenset(days), start, end, tuple(pairs))


def _person(data: object, where: str) -> Person:
    obj = _mapping(data, where)
    role = _text(obj.get("role"), f"{where}.role")
    if role not in ROLES:
        raise PostcheckError(f"{where}.role: {role!r} is not one of {', '.join(ROLES)}")
    born = obj.get("date_of_birth")
    if born is not None:
        try:
            born = date.fromisoformat(_text(born, f"{where}.date_of_birth"))
        except ValueError as error:
            raise PostcheckError(
                f"{where}.date_of_birth: expected YYYY-MM-DD, got {born!r}"
            ) from error
    return Person(
        name=_text(obj.get("name"), f"{where}.name"),
        role=role,
        aliases=_texts(obj.get("aliases", []), f"{where}.aliases"),
        date_of_birth=born,
    )


def _mapping(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PostcheckError(f"{where}: expected an object")
    return value


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PostcheckError(f"{where}: expected a non-empty string")
    return value.strip()


def _texts(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise PostcheckError(f"{where}: expected a list of strings")
    return tuple(_text(v, f"{where}[{i}]") for i, v in enumerate(value))


def _clock(value: object, where: str) -> time:
    match = _HHMM.match(value) if isinstance(value, str) else None
    if match is None:
        raise PostcheckError(f'{where}: expected a time as "HH:MM", got {value!r}')
    return time(int(match[1]), int(match[2]))
