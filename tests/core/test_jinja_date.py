"""The Jinja2 pages' `date` filter must write what Django's writes, although it formats each
calendar date once per format and language (core/jinja.py)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.template.defaultfilters import date as django_date
from django.test import override_settings
from django.utils import timezone, translation

from boundaries.core.jinja import date

DUE = dt.date(2026, 9, 15)


@pytest.mark.parametrize("format_string", ["j F Y", "D j M", "Y-m-d", None])
def test_a_calendar_date_reads_as_djangos_filter_writes_it(format_string: str | None) -> None:
    assert date(DUE, format_string) == django_date(DUE, format_string)
    assert date(DUE, format_string) == django_date(DUE, format_string)  # and again, remembered


def test_a_due_date_reads_as_a_person_would_write_it() -> None:
    assert date(DUE, "j F Y") == "15 September 2026"


def test_the_month_follows_the_language_in_use() -> None:
    assert date(DUE, "j F Y") == "15 September 2026"
    with translation.override("fr"):
        assert date(DUE, "j F Y") == "15 septembre 2026"
    assert date(DUE, "j F Y") == "15 September 2026"


def test_a_deployments_own_date_formats_are_followed() -> None:
    before = date(DUE)
    # DATE_FORMAT too: Django forgets its own formats only when a format setting changes.
    with override_settings(FORMAT_MODULE_PATH="tests.core.date_formats", DATE_FORMAT="Y/m/d"):
        assert date(DUE) == "2026/09/15"
    assert date(DUE) == before == "15 Sep 2026"


def test_a_moment_is_shown_in_the_schools_time_zone() -> None:
    # 23:30 in London on 31 March is already 1 April in UTC: the date must not move.
    moment = dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC)
    with timezone.override(zoneinfo.ZoneInfo("Europe/London")):
        assert date(moment, "j F Y H:i") == "31 March 2026 23:30"
    with timezone.override(zoneinfo.ZoneInfo("UTC")):
        assert date(moment, "j F Y H:i") == "31 March 2026 22:30"
