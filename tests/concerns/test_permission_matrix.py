"""Every role, record type, action and place the role is held, generated from the one table
in boundaries/core/permissions.py and checked through the real pages.

ROUTES maps each page of the declarations and concerns apps to the record type and action it
serves and the permission the table must grant; `None` marks pages that only the person who
made the record may use (nobody in the matrix made it). A route missing from ROUTES, or a
record type and action with neither a route nor a reason, fails the suite.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client
from django.urls import get_resolver

from boundaries.concerns import actions as concern_actions
from boundaries.concerns import contact_actions
from boundaries.concerns.attachments import attach, check_file
from boundaries.core.models import User
from boundaries.core.permissions import allows
from boundaries.core.roles import Role
from boundaries.declarations import actions as declaration_actions
from boundaries.declarations import device_actions, recruitment_actions
from tests.cast import Cast, person
from tests.declarations.school import School, make_school

RECORDS = ("declaration", "pupil_contact", "concern", "attachment", "recruitment", "device_loan")
ACTIONS = ("list", "view", "create", "change", "export")
SCOPES = ("same_school", "other_school", "authority")

# (record, action) pairs with no page of their own, and why.
NO_ROUTE = {
    ("attachment", "list"): "attachments are listed on the page of their concern or report",
    ("attachment", "change"): "an attachment is never changed, only added",
    ("attachment", "export"): "files leave only one at a time through the download view",
    ("device_loan", "view"): "a loan is shown on the register, not on a page of its own",
}


@dataclass(frozen=True)
class Route:
    record: str
    action: str
    permission: str | None  # None: only the record's own author may use it
    path: Callable[[dict[str, int]], str]
    method: str = "get"


def p(template: str) -> Callable[[dict[str, int]], str]:
    return lambda ids: "/o/rivington/" + template.format(**ids)


ROUTES: dict[str, Route] = {
    "declarations:mine": Route("declaration", "list", "declaration.create", p("declarations/")),
    "declarations:review_list": Route(
        "declaration", "list", "declaration.review_list", p("declarations/review/")
    ),
    "declarations:due": Route(
        "declaration", "list", "declaration.review_list", p("declarations/reconfirmation-due/")
    ),
    "declarations:detail": Route(
        "declaration", "view", "declaration.view_all", p("declarations/{declaration}/")
    ),
    "declarations:new": Route(
        "declaration", "create", "declaration.create", p("declarations/new/")
    ),
    "declarations:review": Route(
        "declaration", "change", "declaration.view_all", p("declarations/{declaration}/review/")
    ),
    "declarations:acknowledge": Route(
        "declaration", "change", None, p("declarations/{declaration}/acknowledge/"), "post"
    ),
    "declarations:reconfirm": Route(
        "declaration", "change", None, p("declarations/{declaration}/reconfirm/"), "post"
    ),
    "declarations:end": Route(
        "declaration",
        "change",
        "declaration.view_all",
        p("declarations/{declaration}/end/"),
        "post",
    ),
    "declarations:advice": Route(
        "declaration", "change", "declaration.advice", p("declarations/advice/")
    ),
    "declarations:export": Route(
        "declaration", "export", "declaration.export", p("declarations/export.csv")
    ),
    "declarations:vacancies": Route("recruitment", "list", "recruitment.view", p("recruitment/")),
    "declarations:vacancy": Route(
        "recruitment", "view", "recruitment.view", p("recruitment/{vacancy}/")
    ),
    "declarations:vacancy_new": Route(
        "recruitment", "create", "recruitment.manage", p("recruitment/new/")
    ),
    "declarations:attest": Route(
        "recruitment", "change", "recruitment.manage", p("recruitment/{vacancy}/attest/")
    ),
    "declarations:recruitment_export": Route(
        "recruitment", "export", "recruitment.view", p("recruitment/export.csv")
    ),
    "declarations:devices": Route("device_loan", "list", "device.view", p("devices/")),
    "declarations:device_new": Route("device_loan", "create", "device.manage", p("devices/new/")),
    "declarations:lend": Route(
        "device_loan", "create", "device.manage", p("devices/{device}/lend/")
    ),
    "declarations:loan_return": Route(
        "device_loan", "change", "device.manage", p("devices/loans/{loan}/return/")
    ),
    "declarations:devices_export": Route(
        "device_loan", "export", "device.view", p("devices/export.csv")
    ),
    "concerns:contacts": Route("pupil_contact", "list", "pupil_contact.list", p("pupil-contacts/")),
    "concerns:contacts_mine": Route(
        "pupil_contact", "list", "pupil_contact.create", p("pupil-contacts/mine/")
    ),
    "concerns:contact": Route(
        "pupil_contact", "view", "pupil_contact.manage", p("pupil-contacts/{contact}/")
    ),
    "concerns:contact_sent": Route(
        "pupil_contact", "view", None, p("pupil-contacts/{contact}/sent/")
    ),
    "concerns:contact_new": Route(
        "pupil_contact", "create", "pupil_contact.create", p("pupil-contacts/report/")
    ),
    "concerns:contact_step": Route(
        "pupil_contact",
        "change",
        "pupil_contact.manage",
        p("pupil-contacts/{contact}/steps/"),
        "post",
    ),
    "concerns:contact_close": Route(
        "pupil_contact",
        "change",
        "pupil_contact.manage",
        p("pupil-contacts/{contact}/close/"),
        "post",
    ),
    "concerns:contacts_export": Route(
        "pupil_contact", "export", "pupil_contact.export", p("pupil-contacts/export.csv")
    ),
    "concerns:list": Route("concern", "list", "concern.view", p("concerns/")),
    "concerns:raised": Route("concern", "list", "concern.raise", p("concerns/yours/")),
    "concerns:counts": Route("concern", "list", "concern.counts", p("concerns/counts/")),
    "concerns:detail": Route("concern", "view", "concern.view", p("concerns/{concern}/")),
    "concerns:raise": Route("concern", "create", "concern.raise", p("concerns/raise/")),
    "concerns:transition": Route(
        "concern", "change", "concern.manage", p("concerns/{concern}/transition/"), "post"
    ),
    "concerns:note": Route(
        "concern", "change", "concern.manage", p("concerns/{concern}/notes/"), "post"
    ),
    "concerns:clauses": Route(
        "concern", "change", "concern.manage", p("concerns/{concern}/clauses/"), "post"
    ),
    "concerns:export": Route("concern", "export", "concern.export", p("concerns/export.csv")),
    "concerns:attachment": Route("attachment", "view", "concern.view", p("files/{attachment}/")),
    "concerns:attach": Route(
        "attachment", "create", "concern.manage", p("concerns/{concern}/attach/")
    ),
}


def finish(response: Any) -> None:
    """Close a file download without ending the test's database connection, as Django's
    own test client does."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def route_names() -> set[str]:
    names = set()
    resolver = get_resolver()
    for namespace in ("declarations", "concerns"):
        _, sub = resolver.namespace_dict[namespace]
        names |= {f"{namespace}:{n}" for n in sub.reverse_dict if isinstance(n, str)}
    return names


def test_every_route_of_these_apps_is_in_the_matrix() -> None:
    assert sorted(route_names() - set(ROUTES)) == []
    assert sorted(set(ROUTES) - route_names()) == []


def test_every_record_type_and_action_has_a_route_or_a_reason() -> None:
    served = {(r.record, r.action) for r in ROUTES.values()}
    for cell in itertools.product(RECORDS, ACTIONS):
        assert (cell in served) != (cell in NO_ROUTE), cell


def expected(route: Route, role: str, scope: str) -> bool:
    if route.permission is None or scope == "other_school":
        return False
    if scope == "same_school":
        return allows(route.permission, {role}, set())
    return allows(route.permission, set(), {role})


@pytest.fixture
def world(cast: Cast, settings: Any, tmp_path: Path) -> tuple[dict[str, int], dict[str, User]]:
    settings.MEDIA_ROOT = tmp_path
    school: School = make_school(cast)
    org = cast.school
    declaration = declaration_actions.declare_connection(
        org,
        actor=cast.teacher,
        counterpart_kind="parent_carer",
        relationship="relative",
        platforms=["Facebook"],
        counterpart_name="Invented Cousin",
    )
    contact = contact_actions.report_pupil_contact(
        org,
        actor=cast.teacher,
        platform="Snapchat",
        contacted_at=dt.datetime(2026, 11, 1, 19, 0, tzinfo=dt.UTC),
        what_was_said="Hello",
        did_not_respond=True,
    )
    concern = concern_actions.raise_concern(
        org, actor=cast.teacher, subject=school.manager_record, summary="S", detail="D"
    )
    attachment = attach(
        check_file("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 8), actor=cast.dsl, concern=concern
    )
    vacancy = recruitment_actions.create_vacancy(
        org, actor=cast.head, title="Teacher", shortlist=["C1"]
    )
    device = device_actions.add_device(org, actor=cast.head, kind="camera", label="Cam 1")
    other = device_actions.add_device(org, actor=cast.head, kind="camera", label="Cam 2")
    loan = device_actions.lend(
        other,
        actor=cast.head,
        borrower=school.teacher_record,
        purpose="Trip",
        loaned_on=dt.date(2026, 11, 1),
        due_back=dt.date(2026, 11, 2),
    )
    ids = {
        "declaration": declaration.pk,
        "contact": contact.pk,
        "concern": concern.pk,
        "attachment": attachment.pk,
        "vacancy": vacancy.pk,
        "device": device.pk,
        "loan": loan.pk,
    }
    where = {"same_school": org, "other_school": cast.other_school, "authority": cast.authority}
    users = {
        f"{role}/{scope}": person(f"m-{role}-{scope}".replace("_", "-"), where[scope], role)
        for role in Role.values
        for scope in SCOPES
    }
    return ids, users


@pytest.mark.parametrize("record", RECORDS)
def test_each_route_answers_as_the_table_says(
    record: str, world: tuple[dict[str, int], dict[str, User]]
) -> None:
    ids, users = world
    clients = {}
    for key, user in users.items():
        clients[key] = Client()
        clients[key].force_login(user)
    wrong = []
    for name, route in sorted(ROUTES.items()):
        if route.record != record:
            continue
        for key, client in clients.items():
            role, scope = key.split("/")
            response = getattr(client, route.method)(route.path(ids))
            if response.streaming:
                finish(response)
            if response.status_code >= 500 or response.status_code in (403, 405):
                wrong.append(f"{name} {key}: {response.status_code}")
                continue
            allowed = response.status_code != 404
            if allowed != expected(route, role, scope):
                wrong.append(f"{name} {key}: {'allowed' if allowed else 'refused'}")
    assert wrong == []
