"""Context validation names the bad field; time handling never reads the clock."""

import copy
import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from engines.postcheck import Context, PostcheckError, check
from tests.postcheck.suite import CONTEXT_FILE

GOOD = json.loads(CONTEXT_FILE.read_text())


def broken(path: str, value: object) -> dict:
    data = copy.deepcopy(GOOD)
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node[int(key)] if key.isdigit() else node[key]
    node[int(last) if last.isdigit() else last] = value
    return data


BAD = [
    (broken("organisation", "x"), "organisation: expected an object"),
    (broken("organisation.name", ""), "organisation.name"),
    (broken("organisation.domains", "a.uk"), "organisation.domains"),
    (broken("working_hours.start", "8.30"), "working_hours.start"),
    (broken("working_hours.end", "07:00"), "working_hours.end"),
    (broken("working_hours.weekdays", [7]), "working_hours.weekdays"),
    (broken("working_hours.breaks", [["10:30"]]), "working_hours.breaks[0]"),
    (broken("people.0.role", "teacher"), "people[0].role"),
    (broken("people.0.date_of_birth", "02/04/2016"), "people[0].date_of_birth"),
    (broken("people", {}), "people"),
    (broken("timezone", "Mars/Olympus"), "timezone"),
    ("not an object", "context: expected an object"),
]


@pytest.mark.parametrize(("data", "field"), BAD)
def test_a_bad_context_names_the_field(data: object, field: str) -> None:
    with pytest.raises(PostcheckError, match=field.replace("[", r"\[").replace("]", r"\]")):
        Context.from_dict(data)


def test_an_unknown_audience_is_an_error(context: Context) -> None:
    with pytest.raises(PostcheckError, match="audience"):
        check("hi", audience="everyone", at=None, context=context)


@pytest.mark.parametrize(
    ("at", "in_hours"),
    [
        (datetime(2025, 6, 16, 8, 0, tzinfo=UTC), True),
        (datetime(2025, 6, 16, 7, 0, tzinfo=UTC), False),
        (datetime(2025, 6, 16, 9, 0), True),
        (datetime(2025, 6, 16, 12, 30, tzinfo=ZoneInfo("Europe/London")), False),
        (datetime(2025, 6, 14, 9, 0, tzinfo=UTC), False),
    ],
)
def test_working_hours_are_read_in_school_local_time(
    at: datetime, in_hours: bool, context: Context
) -> None:
    verdict = check("Lovely day", audience="friends", at=at, context=context)
    assert ("4.1(i)" in verdict.clauses) is in_hours


def test_another_timezone_can_be_given() -> None:
    data = copy.deepcopy(GOOD)
    data["timezone"] = "America/New_York"
    ctx = Context.from_dict(data)
    at = datetime(2025, 6, 16, 13, 0, tzinfo=UTC)
    assert "4.1(i)" in check("Lovely day", audience="friends", at=at, context=ctx).clauses
