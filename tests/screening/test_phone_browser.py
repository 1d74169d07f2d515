"""A teacher on a phone checks a draft: the form and the verdict fit a 375-pixel screen."""

from __future__ import annotations

from typing import Any

import pytest

from boundaries import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_teacher_checks_a_draft_on_a_phone(live_server: Any, page: Any) -> None:
    demo.build()
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username or email address").fill("teacher.rivington")
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/o/rivington/check/")
    page.get_by_label("Your draft post or message").fill(
        "Ring me on 07700 900123 if you want to talk about the trip"
    )
    page.get_by_label("A message to a parent or carer").check()
    page.get_by_role("button", name="Check").click()
    assert page.locator("#verdict").get_attribute("data-verdict") == "stop"
    assert page.get_by_role("link", name="Clause 4.1(iv)").first.is_visible()
    assert page.locator("mark", has_text="07700 900123").first.is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.screenshot(path="/tmp/boundaries-check-phone.png", full_page=True)
