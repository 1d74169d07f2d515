"""The application runs as a PostgreSQL role that may read and write rows and nothing more
(ASVS V13.2.2): `boundaries database grants` gives it that, a real request cycle works
through it, and it cannot change the schema or the audit trail."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from django.db import connection, transaction
from django.test import Client
from typer.testing import CliRunner

from boundaries.acknowledgements.models import Acknowledgement, Assignment
from boundaries.cli import app
from boundaries.core.models import AuditEvent
from tests.acknowledgements.helpers import import_staff, policy_in_force, staff
from tests.cast import PASSWORD, Cast

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="database roles are PostgreSQL's: SQLite has no accounts or privileges, and a "
        "school's SQLite file is protected by the service account's file permissions instead",
    ),
    pytest.mark.django_db(transaction=True),
]


def _execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.fixture
def app_role() -> Iterator[str]:
    """A login role with the printed grants, made by the owner (the tests' superuser)."""
    role = f"boundaries_app_{uuid.uuid4().hex[:12]}"
    _execute(f'CREATE ROLE "{role}" LOGIN')
    printed = CliRunner().invoke(app, ["database", "grants", role])
    assert printed.exit_code == 0, printed.output
    _execute(printed.output)
    yield role
    _connect_as(None)
    _execute(f'DROP OWNED BY "{role}"')
    _execute(f'DROP ROLE "{role}"')


_OWNER = connection.settings_dict["USER"]


def _connect_as(role: str | None) -> None:
    """Reconnect as `role` (trust authentication on loopback), or as the owner again."""
    connection.close()
    connection.settings_dict["USER"] = role or _OWNER


def _refused(sql: str) -> str:
    with pytest.raises(Exception) as refusal, transaction.atomic():  # noqa: PT011
        _execute(sql)
    return str(refusal.value)


def test_the_application_works_signed_in_as_the_row_only_role(cast: Cast, app_role: str) -> None:
    import_staff(cast)
    _, version = policy_in_force(cast)
    assignment = Assignment.objects.get(staff=staff("S2"), version=version)
    events_before = AuditEvent.objects.count()
    _connect_as(app_role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone() == (app_role,)

    client = Client()
    signed_in = client.post("/sign-in/", {"username": "teacher", "password": PASSWORD})
    assert signed_in.status_code == 302
    page = client.get(f"/o/rivington/to-read/{assignment.pk}/")
    assert "Do not befriend pupils or parents online." in page.content.decode()
    done = client.post(f"/o/rivington/to-read/{assignment.pk}/confirm/", {"confirm": "on"})
    assert done.status_code == 302

    assert Acknowledgement.objects.get(staff=staff("S2"), version=version).user == cast.teacher
    written = AuditEvent.objects.filter(seq__gt=events_before).values_list("action", flat=True)
    assert "acknowledgements.acknowledged" in written
    assert "You have nothing to read" in client.get("/o/rivington/to-read/").content.decode()


def test_the_row_only_role_cannot_change_the_schema_or_the_audit_trail(
    cast: Cast, app_role: str
) -> None:
    _connect_as(app_role)
    assert "permission denied for schema public" in _refused("CREATE TABLE stolen (x int)")
    assert "must be owner of table core_user" in _refused("DROP TABLE core_user")
    assert "must be owner" in _refused("ALTER TABLE core_user ADD COLUMN x int")
    assert "permission denied for table core_user" in _refused("TRUNCATE core_user")
    assert "permission denied for table core_auditevent" in _refused("TRUNCATE core_auditevent")
    assert "permission denied for table core_auditevent" in _refused(
        "UPDATE core_auditevent SET action = 'tampered'"
    )
    assert "permission denied for table core_auditevent" in _refused("DELETE FROM core_auditevent")
    assert "permission denied for table django_migrations" in _refused(
        "DELETE FROM django_migrations"
    )
    assert "permission denied" in _refused("CREATE SCHEMA stolen")


def test_applying_the_grants_is_audited_and_refuses_a_name_that_is_not_a_role(
    cast: Cast, app_role: str
) -> None:
    applied = CliRunner().invoke(app, ["database", "grants", app_role, "--apply"])
    assert applied.exit_code == 0, applied.output
    assert f"{app_role} may read and write the rows of" in applied.output
    event = AuditEvent.objects.filter(action="security.database_role_granted").last()
    assert event is not None and event.after["role"] == app_role
    refused = CliRunner().invoke(app, ["database", "grants", 'app"; DROP TABLE core_user; --'])
    assert refused.exit_code != 0
    assert "is not a role name" in str(refused.exception)
