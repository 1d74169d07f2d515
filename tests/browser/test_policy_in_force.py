from __future__ import annotations

from typing import Any

import pytest

from boundaries import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username or email address").fill(username)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_head_follows_a_link_to_clause_4_1_iv_and_sees_its_footnote(
    live_server: Any, page: Any
) -> None:
    demo.build()
    sign_in(page, live_server.url, "head.rivington")
    page.get_by_role("link", name="Rivington Foundation Primary School").click()
    page.get_by_role("link", name="Staff use of social networking sites and social media").or_(
        page.get_by_role("link", name="Social Networking Sites and Social Media Policy")
    ).first.click()
    assert page.get_by_text("In force").first.is_visible()
    page.get_by_role("link", name="4.1(iv)", exact=True).first.click()
    assert page.url.endswith("#clause-4.1-iv")
    clause = page.locator("#clause-4\\.1-iv")
    footnote = clause.get_by_role("complementary", name="Footnote to clause 4.1(iv)")
    assert footnote.is_visible()
    assert footnote.text_content().strip().startswith("Footnote to 4.1(iv):")
    page.screenshot(path="/tmp/boundaries-clause-4.1-iv.png", full_page=False)


def test_a_wrong_password_shows_the_error_summary(live_server: Any, page: Any) -> None:
    demo.build()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username or email address").fill("head.rivington")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.get_by_role("alert")
    assert "There is a problem" in summary.text_content()
