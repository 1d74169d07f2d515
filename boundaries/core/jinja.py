"""The Jinja2 environment for the pages staff open most ("Policies to read", the school's
reading figures), with the same helpers as Django's templates give the others.

Why two template engines: every request for those pages renders the base layout, and with
Django's engine rendering was half of the page's CPU; Jinja2 compiles a template to Python
and renders the same HTML in about half the time (docs/decisions/0009). Every other page
keeps Django's templates. `jinja2/base.html` is Django's `templates/base.html` written in
Jinja2, and tests/core/test_jinja_layout.py renders both and fails if they differ.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.template.defaultfilters import date as django_date
from django.templatetags.static import static
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # the stubs lack it
from django.utils.translation import get_language
from jinja2 import Environment, StrictUndefined

from boundaries.core.reversing import reverse_once


def url(view_name: str, *args: Any, **kwargs: Any) -> str:
    """`{% url %}`: the same remembered reversal (core/reversing.py)."""
    return reverse_once(view_name, args, kwargs or None)


def date(value: Any, format_string: str | None = None) -> str:
    """Django's `date` filter, given local time as Django's engine gives it.

    A calendar date (no time, so no time zone) is formatted once per format and language:
    a school's pages show the same few due dates to every member of staff, and Django's
    formatter (translated month names, locale formats) cost a tenth of "Policies to read"."""
    if type(value) is dt.date:
        return _calendar_date(value, format_string, get_language())
    return str(django_date(template_localtime(value), format_string))


@lru_cache(maxsize=4096)
def _calendar_date(value: dt.date, format_string: str | None, language: str | None) -> str:
    return str(django_date(value, format_string))


def _forget_formats(**kwargs: Any) -> None:
    """Formats follow settings (DATE_FORMAT, FORMAT_MODULE_PATH), as Django's own cache does."""
    _calendar_date.cache_clear()


setting_changed.connect(_forget_formats)


def environment(**options: Any) -> Environment:
    """For settings.TEMPLATES. Output is always escaped, a misspelt name fails loudly instead
    of rendering nothing, and a template's last newline is kept, as Django's engine keeps it."""
    options.pop("autoescape", None)
    options["undefined"] = StrictUndefined
    options["keep_trailing_newline"] = True
    env = Environment(autoescape=True, **options)
    env.globals.update(url=url, static=static)
    env.filters.update(date=date)
    return env
