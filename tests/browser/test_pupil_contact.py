"""A teacher reports a pupil's contact from a phone; the DSL is emailed over real SMTP,
follows the link, records the steps clause 5 expects and closes the report."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from boundaries import demo
from boundaries.concerns.models import ContactStatus, PupilContactReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username or email address").fill(username)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def wait_for_mail(smtp_server: Any, address: str) -> Any:
    for _ in range(50):
        found = smtp_server.to(address)
        if found:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"no email to {address}")


def test_a_teacher_reports_a_contact_on_a_phone_and_the_dsl_follows_it_up(
    live_server: Any, page: Any, smtp_server: Any
) -> None:
    demo.build()
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "teacher.rivington")
    page.goto(f"{live_server.url}/o/rivington/")
    page.get_by_role("link", name="A pupil contacted me").click()
    page.get_by_label("Where did they contact you?").fill("Instagram")
    page.get_by_label("What did they say or send?").fill("Asked me to follow them back")
    page.get_by_label("I did not respond to the pupil").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="Send the report").click()
    assert page.get_by_role("heading", name="Report sent").is_visible()
    page.screenshot(path="/tmp/boundaries-pupil-contact-sent.png", full_page=True)

    message = wait_for_mail(smtp_server, "dsl@rivington.example")
    assert "Asked me to follow" not in message.get_payload()
    path = re.search(r"(/o/rivington/pupil-contacts/\d+/)", message.get_payload()).group(1)
    assert wait_for_mail(smtp_server, "teacher@rivington.example") is not None

    page.context.clear_cookies()
    sign_in(page, live_server.url, "dsl.rivington")
    page.goto(live_server.url + path)
    assert page.get_by_text("Asked me to follow them back").is_visible()
    for step in (
        "The pupil was told this is not acceptable",
        "The contact was blocked",
        "Parents or carers were informed",
    ):
        page.get_by_label(step).check()
        page.get_by_role("button", name="Record the step").click()
        assert page.get_by_text("Step recorded.").is_visible()
    page.get_by_role("button", name="Close the report").click()
    assert page.get_by_text("Report closed.").is_visible()

    report = PupilContactReport.objects.get(what_was_said="Asked me to follow them back")
    assert report.status == ContactStatus.CLOSED
    assert report.steps.count() == 3
    assert report.closed_by is not None and report.closed_by.username == "dsl.rivington"
