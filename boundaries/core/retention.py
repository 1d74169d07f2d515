"""Retention as code: how long each kind of record is kept (`core/data/retention.toml`) and
the purge that obeys it.

The purge deletes each expired record in its own transaction and leaves a tombstone audit
event that names the rule and the record's type and id, never what it held. A record that
other records still depend on (a protected foreign key) is kept and reported.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from boundaries.core import audit
from boundaries.core.models import Organisation

RULES_FILE = Path(__file__).resolve().parent / "data" / "retention.toml"
RULE_KEYS = {
    "model",
    "record",
    "filter",
    "after",
    "years",
    "longer_of",
    "needs_longer_of",
    "purge",
    "follows",
    "source",
    "why",
}


class RetentionError(Exception):
    """The rules file says something the purge cannot obey; the message names the rule."""


@dataclass(frozen=True)
class Rule:
    index: int
    model: str
    record: str
    source: str
    why: str
    purge: bool = False
    after: str = ""
    years: int | None = None
    longer_of: str = ""
    needs_longer_of: bool = False
    filter: dict[str, Any] = field(default_factory=dict)
    follows: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"rule {self.index} ({self.model}: {self.record})"

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def period(self) -> str:
        if self.follows:
            return "with " + " or ".join(self.follows)
        if self.years is None:
            return "kept; removed by a person"
        text = f"{self.years} year{'s' if self.years != 1 else ''} after {self.after}"
        return f"{text}, or until {self.longer_of} if later" if self.longer_of else text


def _parse(raw: dict[str, Any], index: int) -> Rule:
    where = f"rule {index}"
    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise RetentionError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("model", "record", "source", "why"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise RetentionError(f"{where}: {key} must be some text")
    follows = raw.get("follows", ())
    follows = (follows,) if isinstance(follows, str) else tuple(follows)
    rule = Rule(
        index=index,
        model=raw["model"],
        record=raw["record"],
        source=raw["source"],
        why=raw["why"],
        purge=bool(raw.get("purge", False)),
        after=raw.get("after", ""),
        years=raw.get("years"),
        longer_of=raw.get("longer_of", ""),
        needs_longer_of=bool(raw.get("needs_longer_of", False)),
        filter=dict(raw.get("filter", {})),
        follows=follows,
    )
    if rule.purge and (not rule.after or rule.years is None):
        raise RetentionError(f"{rule.label}: a rule that purges needs `after` and `years`")
    if rule.purge and rule.follows:
        raise RetentionError(f"{rule.label}: a rule that follows another record cannot purge")
    if rule.years is not None and (not isinstance(rule.years, int) or rule.years < 0):
        raise RetentionError(f"{rule.label}: years must be a whole number, 0 or more")
    return rule


@dataclass(frozen=True)
class Rules:
    rules: tuple[Rule, ...]
    no_personal_data: dict[str, str]

    def for_model(self, label: str) -> list[Rule]:
        return [r for r in self.rules if r.model == label]

    def covered(self) -> set[str]:
        return {r.model for r in self.rules} | set(self.no_personal_data)


def parse_rules(text: str) -> Rules:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RetentionError(f"retention.toml is not valid TOML: {error}") from None
    rules = tuple(_parse(raw, i) for i, raw in enumerate(data.get("rule", []), start=1))
    return Rules(rules, dict(data.get("no_personal_data", {})))


@cache
def load_rules() -> Rules:
    return parse_rules(RULES_FILE.read_text(encoding="utf-8"))


def _value(obj: models.Model, path: str) -> Any:
    value: Any = obj
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def _as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    raise RetentionError(f"{value!r} is not a date")


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def expires_on(rule: Rule, obj: models.Model) -> dt.date | None:
    """The day the record may go, or None while it must be kept (date not yet known)."""
    start = _as_date(_value(obj, rule.after))
    if start is None or rule.years is None:
        return None
    expiry = _add_years(start, rule.years)
    if rule.longer_of:
        longer = _as_date(_value(obj, rule.longer_of))
        if longer is None and rule.needs_longer_of:
            return None
        if longer is not None and longer > expiry:
            expiry = longer
    return expiry


@dataclass
class RuleRun:
    rule: Rule
    expired: int = 0
    purged: int = 0
    kept_referenced: int = 0
    needs_date: int = 0


@dataclass
class PurgeReport:
    dry_run: bool
    runs: list[RuleRun]

    @property
    def purged(self) -> int:
        return sum(r.purged for r in self.runs)

    @property
    def expired(self) -> int:
        return sum(r.expired for r in self.runs)


def _candidates(rule: Rule) -> Iterator[models.Model]:
    manager = rule.model_class()._default_manager
    rows = manager.filter(**rule.filter).exclude(**{f"{rule.after}__isnull": True})
    yield from rows.iterator(chunk_size=500)


def _organisation_of(obj: models.Model) -> Organisation | None:
    for path in ("organisation", "device__organisation", "subject__organisation"):
        try:
            value = _value(obj, path)
        except AttributeError:
            continue
        if isinstance(value, Organisation):
            return value
    return None


def _purge_one(rule: Rule, obj: models.Model, expiry: dt.date, now: dt.datetime) -> None:
    with transaction.atomic():
        audit.record(
            "retention.purged",
            actor=None,
            organisation=_organisation_of(obj),
            obj=obj,
            after={"rule": rule.index, "record": rule.record, "expired_on": expiry},
            now=now,
        )
        obj.delete()


def purge(
    today: dt.date,
    *,
    dry_run: bool = False,
    rules: Rules | None = None,
    now: dt.datetime | None = None,
) -> PurgeReport:
    now = now or timezone.now()
    runs = []
    for rule in (rules or load_rules()).rules:
        if not rule.purge:
            continue
        run = RuleRun(rule)
        for obj in _candidates(rule):
            expiry = expires_on(rule, obj)
            if expiry is None:
                run.needs_date += bool(rule.needs_longer_of)
                continue
            if expiry > today:
                continue
            run.expired += 1
            if dry_run:
                continue
            try:
                _purge_one(rule, obj, expiry, now)
            except ProtectedError:
                run.kept_referenced += 1
            else:
                run.purged += 1
        runs.append(run)
    return PurgeReport(dry_run, runs)
