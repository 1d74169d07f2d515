"""Every single-row edit (each column) and every deletion in a chain of 10,000 events is
detected; an untouched chain raises no alarm.

`verify_rows` always walks from the first event, so calling it for each of the 130,000
mutated chains would cost hours. It is a left fold: what it does at event i depends only
on the events before it (which are untouched, and verified intact once) and on event i.
So each mutation is checked exhaustively with the fold's step at its position, and the
step is cross-checked against `verify_rows` itself on the whole mutated chain at the first,
the last and sampled positions, for every column.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.db import connection

from boundaries.core import audit
from boundaries.core.models import AuditEvent, AuditHead

N = 10_000
COLUMNS = [
    "seq",
    "created_at",
    "actor_id",
    "actor_label",
    "organisation_id",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "prev_hash",
    "hash",
]
START = dt.datetime(2026, 1, 5, 8, 30, tzinfo=dt.UTC)


def make_chain(n: int) -> list[dict[str, Any]]:
    rng = random.Random(7)
    rows, prev = [], audit.GENESIS
    for seq in range(1, n + 1):
        created = START + dt.timedelta(seconds=seq * 17, microseconds=rng.randrange(10**6))
        fields = audit.event_fields(
            seq=seq,
            created_at=created,
            actor_id=rng.choice([None, 1, 2, 3]),
            actor_label=rng.choice(["system", "head", "dsl"]),
            organisation_id=rng.choice([None, 1, 2]),
            action=rng.choice(["core.role_granted", "concerns.transition", "policies.ratified"]),
            object_type=rng.choice(["", "core.user", "concerns.concern"]),
            object_id=rng.choice(["", str(seq)]),
            before=rng.choice([None, {"status": "open"}]),
            after=rng.choice([None, {"status": "closed", "n": seq}]),
        )
        digest = audit.chain_hash(prev, fields)
        rows.append({**fields, "created_at": created, "prev_hash": prev, "hash": digest})
        prev = digest
    return rows


def tampered(value: Any, column: str) -> Any:
    """The smallest change a person editing that column could make."""
    if column == "created_at":
        return value + dt.timedelta(microseconds=1)
    if column in ("prev_hash", "hash"):
        return ("1" if value[0] == "0" else "0") + value[1:]
    if isinstance(value, int):
        return value + 1
    if value is None:
        return 1 if column.endswith("_id") else {"tampered": True}
    if isinstance(value, dict):
        return {**value, "tampered": True}
    return value + "x"


def step_detects(row: dict[str, Any], expected_seq: int, prev_hash: str) -> bool:
    """What `verify_rows` checks at one position of the chain."""
    if row["seq"] != expected_seq or row["prev_hash"] != prev_hash:
        return True
    fields = audit.event_fields(**{k: row[k] for k in row if k not in {"prev_hash", "hash"}})
    return audit.chain_hash(prev_hash, fields) != row["hash"]


@pytest.fixture
def guards_dropped():  # type: ignore[no-untyped-def]
    """Someone with direct database access removes the append-only triggers."""
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


@pytest.fixture(scope="module")
def chain() -> list[dict[str, Any]]:
    return make_chain(N)


def test_an_untouched_chain_of_ten_thousand_raises_no_alarm(chain: list[dict[str, Any]]) -> None:
    report = audit.verify_rows(chain, (N, chain[-1]["hash"]))
    assert report.intact and report.checked == N


def test_every_single_row_edit_of_every_column_is_detected(chain: list[dict[str, Any]]) -> None:
    missed = []
    for i, row in enumerate(chain):
        prev_hash = chain[i - 1]["hash"] if i else audit.GENESIS
        assert not step_detects(row, i + 1, prev_hash)
        for column in COLUMNS:
            edited = {**row, column: tampered(row[column], column)}
            if not step_detects(edited, i + 1, prev_hash):
                missed.append((i + 1, column))
    assert not missed
    print(f"\naudit chain: {N * len(COLUMNS)} single-row edits, all detected")


def test_every_deletion_is_detected(chain: list[dict[str, Any]]) -> None:
    missed = [
        i + 1
        for i in range(N - 1)
        if not step_detects(chain[i + 1], i + 1, chain[i - 1]["hash"] if i else audit.GENESIS)
    ]
    assert not missed
    shortened = audit.verify_rows(chain[:-1], (N, chain[-1]["hash"]))
    assert not shortened.intact and shortened.broken_at == N


@pytest.mark.parametrize("column", COLUMNS)
def test_verify_rows_finds_each_edit_at_its_place_on_the_whole_chain(
    chain: list[dict[str, Any]], column: str
) -> None:
    for i in (0, 1, 2, 137, N - 1):
        mutated = list(chain)
        mutated[i] = {**chain[i], column: tampered(chain[i][column], column)}
        report = audit.verify_rows(mutated, (N, chain[-1]["hash"]))
        assert not report.intact, (i, column)
        assert report.broken_at == i + 1, (i, column)


@pytest.mark.parametrize("i", [0, 1, 500, N - 2])
def test_verify_rows_finds_a_deletion_on_the_whole_chain(
    chain: list[dict[str, Any]], i: int
) -> None:
    report = audit.verify_rows(chain[:i] + chain[i + 1 :], (N, chain[-1]["hash"]))
    assert not report.intact and report.broken_at == i + 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("guards_dropped")
def test_edits_and_deletions_in_the_database_are_detected() -> None:
    """Events written by `audit.record`, then changed with SQL as a database user could."""
    from django.db import transaction

    with transaction.atomic():
        for n in range(300):
            audit.record("proof.event", actor=None, after={"n": n})
    assert audit.verify().intact
    table = AuditEvent._meta.db_table
    sql_values: dict[str, str] = {
        "created_at": "created_at",
        "actor_label": "actor_label || 'x'",
        "action": "action || 'x'",
        "object_type": "object_type || 'x'",
        "object_id": "object_id || 'x'",
        "after": f"'{{\"n\": -1}}'{'::jsonb' if connection.vendor == 'postgresql' else ''}",
        # Another first hex digit: setting an 'f' to 'f' would change nothing.
        "prev_hash": "CASE WHEN substr(prev_hash, 1, 1) = 'f' THEN 'e' ELSE 'f' END"
        " || substr(prev_hash, 2)",
        "hash": "CASE WHEN substr(hash, 1, 1) = 'f' THEN 'e' ELSE 'f' END || substr(hash, 2)",
    }
    json_cast = "::jsonb" if connection.vendor == "postgresql" else ""
    text_cast = "::text" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        for seq in (1, 150, 300):
            for column, expression in sql_values.items():
                read = f"{column}{text_cast}" if column == "after" else column
                cursor.execute(f"SELECT {read} FROM {table} WHERE seq = %s", [seq])
                original = cursor.fetchone()[0]
                if column == "created_at":
                    expression = "%s"
                    params = [original + dt.timedelta(microseconds=1), seq]
                else:
                    params = [seq]
                cursor.execute(f"UPDATE {table} SET {column} = {expression} WHERE seq = %s", params)
                report = audit.verify()
                assert not report.intact and report.broken_at == seq, (seq, column)
                restore = f"%s{json_cast}" if column == "after" else "%s"
                cursor.execute(
                    f"UPDATE {table} SET {column} = {restore} WHERE seq = %s", [original, seq]
                )
                assert audit.verify().intact, (seq, column)
        cursor.execute(f"DELETE FROM {table} WHERE seq = 150")
        assert audit.verify().broken_at == 150
        cursor.execute(f"DELETE FROM {table} WHERE seq > 150")
        report = audit.verify()
        assert not report.intact
    assert AuditHead.objects.get(pk=1).last_seq == 300
