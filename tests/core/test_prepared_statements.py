"""On PostgreSQL the statements every request sends (core/sql.py) are prepared once per
connection and run by name after that; the ORM's queries are sent as text, as before."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client

from boundaries.core.models import User
from tests.acknowledgements.helpers import import_staff, policy_in_force
from tests.cast import PASSWORD, Cast, make_cast

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements ORDER BY statement")
        return [row[0] for row in cursor.fetchall()]


def _teacher() -> Client:
    client = Client()
    assert client.login(username="teacher", password=PASSWORD)
    return client


def test_the_statements_of_every_request_are_prepared_once(cast: Cast) -> None:
    import_staff(cast)
    policy_in_force(cast)
    client = _teacher()
    assert "Staff social media" in client.get("/o/rivington/to-read/").text
    first = _prepared()
    for _ in range(3):
        assert "Staff social media" in client.get("/o/rivington/to-read/").text
    assert _prepared() == first
    # The session with its person, the school with the list: nothing else, and no values in them.
    assert len(first) == 2 and all("$1" in statement for statement in first)
    assert any('FROM "django_session"' in statement for statement in first)
    assert connection.connection.prepare_threshold is None  # the ORM's cursors never prepare


@pytest.mark.django_db(transaction=True)
def test_a_rollback_forgets_them_and_they_are_prepared_again() -> None:
    make_cast()
    client = _teacher()
    assert client.get("/o/rivington/").status_code == 200
    assert _prepared()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="teacher")
    assert client.get("/o/rivington/").status_code == 200
    assert len(_prepared()) == 2  # the session and the school, prepared anew
