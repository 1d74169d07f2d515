"""An invented pupil roster of any size, as an authority's MIS would export it.

Every name is drawn from small word lists of invented first names and surnames; MIS ids
are sequential, so "exactly N pupils, each once" is easy to check after an import.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from pathlib import Path

FIRST = [
    *["Ada", "Bryn", "Cora", "Dex", "Elsa", "Fenn", "Greta", "Hal", "Ines", "Jory"],
    *["Kit", "Lark", "Milo", "Nell", "Orla", "Pip", "Quin", "Rae", "Sol", "Tam"],
]
LAST = [
    *["Amberley", "Brackwell", "Coldbeck", "Dunmere", "Eskdale", "Fellgate", "Gorsby"],
    *["Hartside", "Ingleby", "Kettlewick", "Langstrath", "Mossbeck", "Netherby", "Ormside"],
]
HEADER = "mis_id,first_name,last_name,preferred_name,date_of_birth,year_group,leaving_date"
# Reception to Year 13: children born in the school year that ends in August of this year.
YOUNGEST_BORN = 2021


def year_group(age_index: int) -> str:
    return "Reception" if age_index == 0 else f"Year {age_index}"


def write_roster(path: Path, rows: int, *, seed: int) -> str:
    """Write `rows` invented pupils to `path`; return the file's SHA-256."""
    rng = random.Random(seed)
    lines = [HEADER]
    for number in range(1, rows + 1):
        age = number % 14
        born = dt.date(YOUNGEST_BORN - age, rng.randint(1, 12), rng.randint(1, 28))
        first = rng.choice(FIRST)
        preferred = first[:3] if number % 11 == 0 else ""
        lines.append(
            f"F{number:07d},{first},{rng.choice(LAST)},{preferred},"
            f"{born:%d/%m/%Y},{year_group(age)},"
        )
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()
