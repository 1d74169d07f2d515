"""Every template's `{% url %}` is Django's tag with addresses remembered (core/reversing.py):
the same addresses as `reverse()`, for each script prefix and URL configuration."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix
from django.utils.safestring import mark_safe

from boundaries.core.reversing import reverse_once


def _render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


CASES = [
    ("{% url 'home' %}", {}, reverse("home")),
    ("{% url 'acknowledgements:read' org 37 %}", {"org": "rivington"}, "/o/rivington/to-read/37/"),
    ("{% url 'acknowledgements:read' org pk %}", {"org": "rivington", "pk": 5}, None),
    ("{% url 'acknowledgements:read' org=org pk=pk %}", {"org": "brookside", "pk": 5}, None),
    ("{% url name org %}", {"name": "acknowledgements:my_record", "org": "rivington"}, None),
    ("{% url 'acknowledgements:my_record' org %}", {"org": mark_safe("rivington")}, None),
]


@pytest.mark.parametrize(("source", "context", "expected"), CASES)
def test_the_tag_gives_what_reverse_gives(
    source: str, context: dict[str, object], expected: str | None
) -> None:
    first, again = _render(source, **context), _render(source, **context)
    assert first == again
    if expected is not None:
        assert first == expected
    assert first.startswith("/o/") or first == "/"


def test_arguments_that_are_not_plain_values_are_reversed_each_time() -> None:
    assert reverse_once("acknowledgements:read", [mark_safe("a"), 1]) == "/o/a/to-read/1/"
    for _ in range(2):  # True equals 1 as a key, but is not an address's number
        with pytest.raises(NoReverseMatch):
            reverse_once("acknowledgements:read", ["a", True])


def test_what_does_not_reverse_still_fails_or_is_empty_with_as() -> None:
    with pytest.raises(NoReverseMatch):
        _render("{% url 'acknowledgements:read' 'not a slug!' 3 %}")
    assert _render("{% url 'no-such-page' as link %}[{{ link }}]") == "[]"
    assert _render("{% url 'home' as link %}[{{ link }}]") == "[/]"


def test_each_script_prefix_has_its_own_addresses() -> None:
    assert _render("{% url 'home' %}") == "/"
    set_script_prefix("/boundaries/")
    try:
        assert _render("{% url 'home' %}") == "/boundaries/"
        assert reverse_once("acknowledgements:my_record", ["x"]) == "/boundaries/o/x/my-record/"
    finally:
        clear_script_prefix()
    assert _render("{% url 'home' %}") == "/"


@override_settings(ROOT_URLCONF="tests.core.test_reversing")
def test_another_url_configuration_forgets_the_addresses() -> None:
    assert _render("{% url 'home' %}") == "/elsewhere/"


def _view() -> None:  # pragma: no cover - only reversed
    return None


from django.urls import path  # noqa: E402 - the URL configuration the test above switches to

urlpatterns = [path("elsewhere/", _view, name="home")]
