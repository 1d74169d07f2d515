"""Addresses reversed once per process: `reverse_once()`, and the `{% url %}` tag of every
template (this module is one of the template engine's builtins, so its tag replaces
Django's).

Why: `reverse()` walks the URL configuration's namespaces and asks for the active language
three times on each call, 40 to 70 µs; "Policies to read" spent more on its four links than
on its database queries (docs/decisions/0009). An address depends only on the view name,
its arguments, the current application namespace, the URL configuration and the script
prefix, so it is kept under all of those, in a bounded table. Arguments other than plain
strings and whole numbers (a model instance, a lazy string) are reversed every time, as
is anything that does not reverse (the error is not kept).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaulttags
from django.template.base import Parser, Token
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

register = template.Library()

# One entry per address (a school's slug and an object's number): enough for the pages a
# worker serves in a while, bounded so its memory is too.
MAX_ADDRESSES = 4096


def _plain(value: object) -> bool:
    """A string (a template's literal is a SafeString) or a whole number, not a bool."""
    return type(value) in (str, SafeString, int)


def _key(value: str | int) -> str | int:
    return str(value) if isinstance(value, str) else value


@lru_cache(maxsize=MAX_ADDRESSES)
def _reversed(
    view_name: str,
    args: tuple[str | int, ...],
    kwargs: tuple[tuple[str, str | int], ...],
    current_app: str | None,
    urlconf: str | None,
    script_prefix: str,
) -> str:
    return reverse(view_name, urlconf, list(args), dict(kwargs), current_app)


def reverse_once(
    view_name: str,
    args: list[Any] | tuple[Any, ...] = (),
    kwargs: dict[str, Any] | None = None,
    current_app: str | None = None,
) -> str:
    """`reverse()`, remembered for the current URL configuration and script prefix."""
    kwargs = kwargs or {}
    if not (
        type(view_name) in (str, SafeString)
        and (current_app is None or type(current_app) is str)
        and all(_plain(arg) for arg in args)
        and all(_plain(value) for value in kwargs.values())
    ):
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    return _reversed(
        str(view_name),
        tuple(_key(arg) for arg in args),
        tuple(sorted((name, _key(value)) for name, value in kwargs.items())),
        current_app,
        get_urlconf(),
        get_script_prefix(),
    )


@receiver(setting_changed)
def _urls_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()


class URLNode(defaulttags.URLNode):
    """Django's `{% url %}`, with `reverse_once` in place of `reverse`."""

    def render(self, context: template.Context) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        request = getattr(context, "request", None)
        try:
            current_app = request.current_app  # type: ignore[union-attr]
        except AttributeError:
            try:
                current_app = request.resolver_match.namespace  # type: ignore[union-attr]
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = reverse_once(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> URLNode:
    """Parsed as Django's own tag; see the module's docstring."""
    node = defaulttags.url(parser, token)
    return URLNode(node.view_name, node.args, node.kwargs, node.asvar)
