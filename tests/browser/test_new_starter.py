"""A new starter signs in, reads the policy in force, answers the check, confirms, and the
headteacher's dashboard moves by one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from boundaries import demo
from boundaries.core import actions as core_actions
from boundaries.core.models import Organisation
from boundaries.core.roles import Role
from boundaries.roster.actions import import_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username or email address").fill(username)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def acknowledged_on_dashboard(page: Any, base: str) -> int:
    page.goto(f"{base}/o/rivington/reports/acknowledgements/")
    return int(page.locator("#acknowledged-count").text_content())


def test_a_new_starter_reads_confirms_and_the_dashboard_moves_by_one(
    live_server: Any, page: Any
) -> None:
    demo.build()
    school = Organisation.objects.get(slug="rivington")
    starter = core_actions.create_account(
        username="starter.rivington",
        email="starter@rivington.example",
        first_name="Sam",
        last_name="Starter",
        password=demo.DEMO_PASSWORD,
        actor=None,
    )
    core_actions.grant_role(starter, school, Role.STAFF, actor=None)
    today = timezone.localdate()
    started = today - dt.timedelta(days=1)
    row = (
        "mis_id,full_name,work_email,start_date\n"
        f"NEW1,Sam Starter,starter@rivington.example,{started}\n"
    )
    assert import_file(
        school, "staff", row.encode(), filename="starter.csv", full=False, dry_run=False, actor=None
    ).ok

    sign_in(page, live_server.url, "head.rivington")
    before = acknowledged_on_dashboard(page, live_server.url)
    page.context.clear_cookies()

    sign_in(page, live_server.url, "starter.rivington")
    page.goto(f"{live_server.url}/o/rivington/")
    page.get_by_role("link", name="Policies to read").click()
    page.locator(".bnd-to-read a").first.click()
    assert page.locator("#clause-4\\.1-iv").is_visible()
    page.get_by_role("link", name="I have read it: continue").click()
    page.get_by_label("Decline it and tell your line manager").check()
    page.get_by_label("Do not reply, and report it to your manager").check()
    page.get_by_label("I have read this version of the policy").check()
    page.get_by_role("button", name="Confirm").click()
    assert page.get_by_text("Thank you. You confirmed").is_visible()
    assert page.get_by_text("You have nothing to read").is_visible()
    page.context.clear_cookies()

    sign_in(page, live_server.url, "head.rivington")
    assert acknowledged_on_dashboard(page, live_server.url) == before + 1
