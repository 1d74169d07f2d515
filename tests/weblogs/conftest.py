from __future__ import annotations

from pathlib import Path

import pytest

from engines.weblogs import Calendar, Identities, load_catalogue

SAMPLES = Path(__file__).parent / "samples"
CALENDAR = {
    "timezone": "Europe/London",
    "weekdays": [0, 1, 2, 3, 4],
    "start": "08:30",
    "end": "15:30",
    "breaks": [["12:00", "13:00"]],
}


@pytest.fixture
def calendar() -> Calendar:
    return Calendar.from_dict(CALENDAR)


@pytest.fixture
def identities() -> Identities:
    return Identities.from_rows(
        [{"person": "Alice", "login": "alice"}, {"person": "Bob", "ip": "10.0.0.9"}]
    )


@pytest.fixture(scope="session")
def catalogue():  # type: ignore[no-untyped-def]
    return load_catalogue()
