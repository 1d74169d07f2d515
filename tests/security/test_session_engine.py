"""The session, the person and their roles come in one query, and nothing about them is
kept from one request to the next: every change on the server shows at the next request."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from boundaries.core.models import User
from boundaries.security.models import LiveSession
from tests.cast import PASSWORD, Cast


def _signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_a_signed_in_request_finds_session_person_and_roles_in_one_query(cast: Cast) -> None:
    client = _signed_in("teacher")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/healthz").status_code == 200
        assert client.get("/o/rivington/").status_code == 200
    first = queries.captured_queries[0]["sql"]
    assert "django_session" in first and "core_user" in first and "core_membership" in first
    assert not [q for q in queries.captured_queries if 'FROM "core_user"' in q["sql"]]


def test_an_account_disabled_in_the_database_is_signed_out_at_its_next_request(
    cast: Cast,
) -> None:
    client = _signed_in("teacher")
    assert client.get("/o/rivington/to-read/").status_code in (200, 404)
    User.objects.filter(pk=cast.teacher.pk).update(is_active=False)  # no signal, sessions stay
    response = client.get("/o/rivington/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_a_role_removed_in_the_database_is_gone_at_the_next_request(cast: Cast) -> None:
    client = _signed_in("head")
    assert client.get("/o/rivington/reports/acknowledgements/").status_code == 200
    with connection.cursor() as cursor:  # no signal, so the session itself stays
        cursor.execute("DELETE FROM core_membership WHERE user_id = %s", [cast.head.pk])
    assert client.get("/o/rivington/reports/acknowledgements/").status_code == 404


def test_a_new_password_signs_out_the_sessions_made_with_the_old_one(cast: Cast) -> None:
    client = _signed_in("teacher")
    assert client.get("/o/rivington/").status_code == 200
    cast.teacher.set_password("a brand new long passphrase")
    cast.teacher.save()
    assert client.get("/o/rivington/").status_code == 302


def test_a_session_without_its_sign_in_record_still_belongs_to_its_person(cast: Cast) -> None:
    client = _signed_in("teacher")
    LiveSession.objects.all().delete()
    page = client.get("/o/rivington/")
    assert page.status_code == 200 and "Signed in as Teacher" in page.content.decode()


def test_a_sign_in_record_that_names_someone_else_changes_nothing(cast: Cast) -> None:
    client = _signed_in("teacher")
    LiveSession.objects.filter(user=cast.teacher).update(user=cast.head)
    page = client.get("/o/rivington/")
    assert "Signed in as Teacher" in page.content.decode()
    assert client.get("/o/rivington/reports/acknowledgements/").status_code == 404


def test_an_unknown_or_expired_session_cookie_is_a_visitor(cast: Cast) -> None:
    client = Client()
    client.cookies["sessionid"] = "x" * 32
    response = client.get("/o/rivington/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
