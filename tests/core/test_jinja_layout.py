"""The base layout exists twice, in Django's templates and in Jinja2 for the busiest pages
(core/jinja.py): both must render the same page, byte for byte, for everyone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.template import engines
from django.test import RequestFactory
from django.utils.safestring import mark_safe

from tests.cast import Cast

# The same child template in both languages: these tags read alike in each.
CHILD = (
    '{% extends "base.html" %}{% block title %}Reading & records{% endblock %}'
    "{% block breadcrumbs %}<nav>Home - School</nav>{% endblock %}"
    "{% block content %}<p>{{ body }}</p>{% endblock %}"
)
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}"')


def _request(user: Any, notes: list[tuple[int, str]]) -> HttpRequest:
    def nothing(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    request = RequestFactory().get("/o/rivington/to-read/", secure=True)
    request.COOKIES["csrftoken"] = "k" * 32
    for middleware in (SessionMiddleware, MessageMiddleware, CsrfViewMiddleware):
        middleware(nothing).process_request(request)
    ContentSecurityPolicyMiddleware(nothing).process_request(request)
    request.user = user
    for level, text in notes:
        messages.add_message(request, level, text)
    return request


def _both(request: HttpRequest, body: str) -> tuple[str, str]:
    pages = [
        engines[name].from_string(CHILD).render({"body": body}, request)
        for name in ("django", "jinja2")
    ]
    # The one difference allowed: markupsafe writes an apostrophe as &#39;, Django as &#x27;.
    jinja_page = pages[1].replace("&#39;", "&#x27;")
    return TOKEN.sub(r'\1…"', pages[0]), TOKEN.sub(r'\1…"', jinja_page)


@pytest.mark.parametrize(
    "notes",
    [
        [],
        [(messages.SUCCESS, "Saved <b>your</b> record & thanks")],
        [(messages.INFO, "Read by 1 May"), (messages.SUCCESS, mark_safe("<em>Done</em>"))],
    ],
    ids=["no messages", "a success, escaped", "two, one marked safe"],
)
def test_both_layouts_render_the_same_page_for_someone_signed_in(
    cast: Cast, notes: list[tuple[int, str]]
) -> None:
    cast.teacher.first_name, cast.teacher.last_name = "Ann <i>", "O'Neill & co"
    django_page, jinja_page = _both(_request(cast.teacher, notes), "Body <script>")
    assert "Signed in as Ann &lt;i&gt; O&#x27;Neill &amp; co" in django_page
    assert "Body &lt;script&gt;" in django_page
    assert 'name="csrfmiddlewaretoken"' in django_page
    assert jinja_page == django_page


def test_both_layouts_render_the_same_page_for_a_visitor() -> None:
    django_page, jinja_page = _both(_request(AnonymousUser(), []), "Welcome")
    assert "Sign out" not in django_page
    assert jinja_page == django_page
