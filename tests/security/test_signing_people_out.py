"""An administrator signs a person out everywhere, keeping the account (ASVS 5.0 V7.4.5):
the headteacher for people wholly within the school, the authority admin for the authority
and its schools; audited; nobody else, and nobody beyond. The deployment's operators can
sign everyone out from the command line."""

from __future__ import annotations

import datetime as dt
import re
import sys

import pytest
from django.test import Client
from django.utils import timezone

from boundaries.cli import app
from boundaries.cli.errors import run_cli
from boundaries.core import actions as core_actions
from boundaries.core.models import AuditEvent, User
from boundaries.core.roles import Role
from boundaries.security import sessions
from boundaries.security.models import LiveSession
from tests.cast import PASSWORD, Cast, person
from tests.security.signin import sign_in_verified


def _signed_in(username: str) -> Client:
    client = Client()
    assert client.post("/sign-in/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def _as(user: User) -> Client:
    client = Client()
    sign_in_verified(client, user)
    return client


def test_a_headteacher_signs_a_teacher_out_everywhere_and_the_account_stays(cast: Cast) -> None:
    laptop, phone = _signed_in("teacher"), _signed_in("teacher")
    head = _as(cast.head)
    listing = head.get("/o/rivington/signed-in/")
    assert listing.status_code == 200
    row = listing.text.split("Teacher Tester", 1)[1].split("</tr>", 1)[0]
    assert ">2</td>" in row
    end = f"/o/rivington/signed-in/{cast.teacher.pk}/sign-out/"
    assert f'href="{end}"' in row
    assert "Sign Teacher Tester out everywhere?" in head.get(end).text
    done = head.post(end, follow=True)
    assert "Teacher Tester is signed out everywhere (2 sessions ended)" in done.text
    assert laptop.get("/").status_code == 302 and phone.get("/").status_code == 302
    assert not LiveSession.objects.filter(user=cast.teacher).exists()
    assert head.get("/").status_code == 200
    cast.teacher.refresh_from_db()
    assert cast.teacher.is_active and _signed_in("teacher").get("/").status_code == 200
    event = AuditEvent.objects.get(action="security.sessions_ended")
    assert (event.actor, event.organisation, event.object_id, event.after) == (
        cast.head,
        cast.school,
        str(cast.teacher.pk),
        {"sessions_ended": 2},
    )


def test_the_organisation_page_links_to_it_for_the_head_only(cast: Cast) -> None:
    assert 'href="/o/rivington/signed-in/"' in _as(cast.head).get("/o/rivington/").text
    assert 'href="/o/rivington/signed-in/"' not in _as(cast.dsl).get("/o/rivington/").text


def test_the_authority_admin_signs_out_people_of_the_authority_and_its_schools(
    cast: Cast,
) -> None:
    teacher, hr = _signed_in("teacher"), _signed_in("hr")
    admin = _as(cast.admin)
    listing = admin.get("/o/testshire/signed-in/").text.split('id="main-content"')[1]
    assert "Teacher Tester" in listing and "Otherhead Tester" in listing
    assert "Hr Tester" in listing and "Admin Tester" not in listing  # not themselves
    for who, client in ((cast.teacher, teacher), (cast.hr, hr)):
        assert admin.post(f"/o/testshire/signed-in/{who.pk}/sign-out/").status_code == 302
        assert client.get("/").status_code == 302
    assert admin.post(f"/o/rivington/signed-in/{cast.dsl.pk}/sign-out/").status_code == 302
    assert AuditEvent.objects.filter(action="security.sessions_ended").count() == 3


@pytest.mark.parametrize(
    ("who", "org", "target"),
    [
        ("other_head", "rivington", "teacher"),  # another school's head
        ("other_head", "brookside", "teacher"),  # the teacher is not at Brookside
        ("head", "rivington", "admin"),  # the authority's admin: beyond the school
        ("head", "testshire", "teacher"),  # the head holds no role at the authority
        ("dsl", "rivington", "teacher"),
        ("teacher", "rivington", "governor"),
        ("governor", "rivington", "teacher"),
        ("hr", "rivington", "teacher"),
        ("head", "rivington", "head"),  # not themselves: their own page does that
    ],
)
def test_nobody_else_and_nobody_beyond_can_sign_a_person_out(
    cast: Cast, who: str, org: str, target: str
) -> None:
    victim = _signed_in(target)
    client = _as(getattr(cast, who))
    path = f"/o/{org}/signed-in/{getattr(cast, target).pk}/sign-out/"
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
    assert victim.get("/").status_code == 200
    assert not AuditEvent.objects.filter(action="security.sessions_ended").exists()


def test_someone_with_a_role_in_another_school_too_is_left_to_the_authority(
    cast: Cast,
) -> None:
    core_actions.grant_role(cast.teacher, cast.other_school, Role.STAFF, actor=None)
    head = _as(cast.head)
    assert "Teacher Tester" not in head.get("/o/rivington/signed-in/").text
    assert head.post(f"/o/rivington/signed-in/{cast.teacher.pk}/sign-out/").status_code == 404
    assert "Teacher Tester" in _as(cast.admin).get("/o/testshire/signed-in/").text


def test_an_unknown_person_reads_like_one_beyond_reach(cast: Cast) -> None:
    stranger = person("stranger", cast.other_school, Role.STAFF)
    head = _as(cast.head)
    beyond = head.get(f"/o/rivington/signed-in/{stranger.pk}/sign-out/")
    missing = head.get("/o/rivington/signed-in/99999/sign-out/")
    assert beyond.status_code == missing.status_code == 404
    assert _without_nonce(beyond.text) == _without_nonce(missing.text)


def _without_nonce(page: str) -> str:
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return re.sub(r'nonce="[^"]+"', "", page)


def test_signing_someone_out_needs_a_recent_sign_in(cast: Cast) -> None:
    teacher = _signed_in("teacher")
    head = _as(cast.head)
    session = head.session
    session[sessions.REAUTH_AT] = (timezone.now() - dt.timedelta(minutes=11)).timestamp()
    session.save()
    response = head.post(f"/o/rivington/signed-in/{cast.teacher.pk}/sign-out/")
    assert response["Location"].startswith("/account/confirm/")
    assert teacher.get("/").status_code == 200


def _cli(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["boundaries", "security", "sign-out-everyone", *args])
    return run_cli(app)


def test_the_operators_can_sign_everyone_out_from_the_command_line(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clients = [_signed_in(name) for name in ("teacher", "head", "admin")]
    assert _cli(monkeypatch) == 0
    assert "3 sessions would end" in capsys.readouterr().out
    assert all(c.get("/").status_code == 200 for c in clients)
    assert _cli(monkeypatch, "--yes") == 0
    assert "3 sessions ended" in capsys.readouterr().out
    assert all(c.get("/").status_code == 302 for c in clients)
    event = AuditEvent.objects.get(action="security.all_sessions_ended")
    assert (event.actor, event.after) == (None, {"sessions": 3})
    assert User.objects.filter(is_active=True).count() == 7
