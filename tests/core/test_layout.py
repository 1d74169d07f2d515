"""The base layout's addresses are found once per process (core/layout.py) and still follow
the settings, the URL configuration and the script prefix; the header names who is signed
in and offers them a sign-out form with its CSRF token."""

from __future__ import annotations

import re

from django.templatetags.static import static
from django.test import Client, RequestFactory, override_settings
from django.urls import clear_script_prefix, reverse, set_script_prefix

from boundaries.core.layout import layout
from tests.cast import PASSWORD, Cast


def _header(page: str) -> str:
    return page[page.index("<header") : page.index("</header>")]


def test_every_page_links_the_static_files_home_and_sign_out(cast: Cast) -> None:
    client = Client()
    assert client.login(username="teacher", password=PASSWORD)
    page = client.get("/o/rivington/").text
    assert f'href="{static("build/boundaries.css")}"' in page
    assert f'<script type="module" src="{static("build/init.mjs")}" nonce="' in page
    header = _header(page)
    assert f'href="{reverse("home")}"' in header
    assert f'action="{reverse("logout")}"' in header
    assert re.search(r'name="csrfmiddlewaretoken" value="\w{64}"', header)


def test_the_header_names_the_person_signed_in_and_nobody_otherwise(
    cast: Cast, client: Client
) -> None:
    assert "Signed in as" not in client.get("/sign-in/").text
    assert client.login(username="teacher", password=PASSWORD)
    cast.teacher.first_name, cast.teacher.last_name = "Tess", "O'Teacher"
    cast.teacher.save()
    assert "Signed in as Tess O&#x27;Teacher" in _header(client.get("/o/rivington/").text)
    cast.teacher.first_name = cast.teacher.last_name = ""
    cast.teacher.save()
    assert "Signed in as teacher</span>" in _header(client.get("/o/rivington/").text)


def test_the_addresses_follow_the_static_url_and_the_script_prefix(
    cast: Cast, client: Client
) -> None:
    assert '"/static/build/boundaries.css"' in client.get("/sign-in/").text
    with override_settings(STATIC_URL="/assets/"):
        assert '"/assets/build/boundaries.css"' in client.get("/sign-in/").text
    request = RequestFactory().get("/")
    set_script_prefix("/boundaries/")  # as the WSGI handler sets it from SCRIPT_NAME
    try:
        assert layout(request)["layout"].home == "/boundaries/"
    finally:
        clear_script_prefix()
    assert layout(request)["layout"].home == "/"
