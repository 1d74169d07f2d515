"""Invented pupils and carers for Rivington, imported as the school would import them."""

from __future__ import annotations

import datetime as dt
import random

from boundaries.core.models import Organisation, User
from boundaries.roster.actions import import_file

FIRST = [
    "Ava",
    "Leo",
    "Isla",
    "Alfie",
    "Mia",
    "Oscar",
    "Ruby",
    "Arlo",
    "Evie",
    "Theo",
    "Poppy",
    "Finley",
    "Ivy",
    "Reggie",
    "Willow",
    "Albie",
    "Daisy",
    "Ezra",
    "Freya",
    "Jude",
]
LAST = [
    "Ashby",
    "Bramley",
    "Cowling",
    "Duckworth",
    "Entwistle",
    "Farnworth",
    "Garside",
    "Hindle",
    "Isherwood",
    "Jepson",
    "Kenyon",
    "Lomax",
]
TODAY = dt.date(2026, 11, 2)


def _pupils_csv(rng: random.Random) -> str:
    lines = ["mis_id,first_name,last_name,preferred_name,date_of_birth,year_group,leaving_date"]
    for i in range(40):
        year = i % 7
        born = dt.date(2021 - year, rng.randint(1, 12), rng.randint(1, 28))
        first, last = rng.choice(FIRST), rng.choice(LAST)
        preferred = first[:3] if i % 9 == 0 else ""
        lines.append(
            f"RP{i + 1:04d},{first},{last},{preferred},{born.isoformat()},"
            f"{'Reception' if year == 0 else f'Year {year}'},"
        )
    for i in range(6):  # former pupils, some now at secondary school and under 18
        born = dt.date(2008 + i, rng.randint(1, 12), rng.randint(1, 28))
        lines.append(
            f"RF{i + 1:04d},{rng.choice(FIRST)},{rng.choice(LAST)},,{born.isoformat()},"
            f"Year 6,{dt.date(born.year + 11, 7, 22).isoformat()}"
        )
    return "\n".join(lines) + "\n"


def _carers_csv(rng: random.Random) -> str:
    lines = ["mis_id,full_name,pupils"]
    for i in range(24):
        children = sorted({f"RP{rng.randint(1, 40):04d}" for _ in range(rng.randint(1, 2))})
        lines.append(f"RC{i + 1:04d},{rng.choice(FIRST)} {rng.choice(LAST)},{';'.join(children)}")
    return "\n".join(lines) + "\n"


def build_demo(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    school = orgs["rivington"]
    rng = random.Random(5)
    pupils = import_file(
        school,
        "pupils",
        _pupils_csv(rng).encode(),
        filename="demo-pupils.csv",
        dry_run=False,
        actor=None,
        today=TODAY,
    )
    carers = import_file(
        school,
        "carers",
        _carers_csv(rng).encode(),
        filename="demo-carers.csv",
        dry_run=False,
        actor=None,
        today=TODAY,
    )
    return {"pupils": len(pupils.new), "carers": len(carers.new)}
