from __future__ import annotations

import subprocess
import sys

import pytest
from django.db import connection, transaction

from boundaries.core import audit
from boundaries.core.models import AuditEvent
from tests.cast import Cast


@pytest.fixture
def guards_dropped():  # type: ignore[no-untyped-def]
    """Simulate someone with direct database access removing the append-only triggers."""
    import importlib

    migration = importlib.import_module("boundaries.core.migrations.0002_audit_append_only")
    drop = {"sqlite": migration.SQLITE_DROP, "postgresql": migration.POSTGRES_DROP}
    create = {"sqlite": migration.SQLITE, "postgresql": migration.POSTGRES}
    with connection.cursor() as cursor:
        for sql in drop[connection.vendor]:
            cursor.execute(sql)
    yield
    with connection.cursor() as cursor:
        for sql in create[connection.vendor]:
            cursor.execute(sql)


def test_every_action_leaves_an_intact_chain(cast: Cast) -> None:
    report = audit.verify()
    assert report.intact
    assert report.checked == AuditEvent.objects.count() > 10


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError):
        audit.record("x", actor=None)


def test_the_orm_refuses_to_change_or_delete_an_event(cast: Cast) -> None:
    event = AuditEvent.objects.first()
    assert event is not None
    event.action = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_the_database_refuses_updates_to_events(cast: Cast) -> None:
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(seq=1).update(action="tampered")


def test_postgresql_refuses_deleting_events(cast: Cast) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite cannot tell a test reset from a deletion; see migration 0002")
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(seq=1).delete()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("guards_dropped")
def test_an_edited_event_is_found_at_its_place() -> None:
    from tests.cast import make_cast

    make_cast()
    AuditEvent.objects.filter(seq=5).update(after={"username": "someone-else"})
    report = audit.verify()
    assert not report.intact
    assert report.broken_at == 5
    assert "changed" in report.reason


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("guards_dropped")
def test_a_deleted_event_is_found() -> None:
    from tests.cast import make_cast

    make_cast()
    AuditEvent.objects.filter(seq=7).delete()
    report = audit.verify()
    assert not report.intact
    assert report.broken_at == 7


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("guards_dropped")
def test_removing_the_newest_events_is_found() -> None:
    from tests.cast import make_cast

    make_cast()
    last = AuditEvent.objects.order_by("-seq").first()
    assert last is not None
    AuditEvent.objects.filter(seq=last.seq).delete()
    assert not audit.verify().intact


def test_verify_rows_finds_a_relinked_forgery() -> None:
    rows = []
    prev = audit.GENESIS
    import datetime as dt

    for seq in range(1, 4):
        fields = audit.event_fields(
            seq=seq,
            created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            actor_id=None,
            actor_label="system",
            organisation_id=None,
            action=f"a{seq}",
            object_type="",
            object_id="",
            before=None,
            after=None,
        )
        digest = audit.chain_hash(prev, fields)
        rows.append(
            {
                **fields,
                "created_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    assert audit.verify_rows(rows, (3, prev)).intact
    forged = [dict(r) for r in rows]
    forged[1]["action"] = "forged"
    forged[1]["hash"] = audit.chain_hash(
        forged[1]["prev_hash"],
        audit.event_fields(
            **{k: v for k, v in forged[1].items() if k not in {"prev_hash", "hash"}}
        ),
    )
    report = audit.verify_rows(forged, (3, prev))
    assert not report.intact and report.broken_at == 3


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "boundaries.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.mark.django_db(transaction=True)
def test_audit_verify_on_the_command_line(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import os

    env = {
        **os.environ,
        "BOUNDARIES_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    assert _cli("migrate", env=env).returncode == 0
    assert _cli("demo", env=env).returncode == 0
    ok = _cli("audit", "verify", env=env)
    assert ok.returncode == 0 and ok.stdout.startswith("intact")
    import sqlite3

    db = sqlite3.connect(tmp_path / "db.sqlite3")
    db.execute("DROP TRIGGER audit_no_update")
    db.execute("UPDATE core_auditevent SET actor_label = 'mallory' WHERE seq = 3")
    db.commit()
    db.close()
    broken = _cli("audit", "verify", env=env)
    assert broken.returncode == 1
    assert "broken at event #3" in broken.stderr
