"""Writing many roster rows at once, inside the import's transaction.

Why not `bulk_create` for pupils: on a 100,000-pupil roster it spent about 16 of the
import's 20 seconds building model instances and compiling INSERT statements (measured on
this project's two-core machine, see docs/decisions/0005). PostgreSQL's COPY and SQLite's
`executemany` take the same rows as plain tuples in about two seconds. Nothing here commits:
the caller's transaction still makes the rows appear all at once or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connections, models, router

UPDATE_CHUNK = 2000


def column_of(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The field stored in a column of the model's own table (not a reverse relation)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert `rows` (one value per name in `fields`) into `model`'s table; return how many.

    Values go through each field's own conversion for the database, as `save()` would;
    no signals are sent and no primary keys are returned (callers that need them use
    `bulk_create`).
    """
    connection = connections[router.db_for_write(model)]
    columns = [column_of(model, name) for name in fields]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(str(field.column)) for field in columns)

    def prepared() -> Iterator[tuple[Any, ...]]:
        for row in rows:
            yield tuple(
                field.get_db_prep_save(value, connection)
                for field, value in zip(columns, row, strict=True)
            )

    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            # Table and column names come from the model, quoted; values travel as data.
            return _copy(cursor.cursor, f"COPY {table} ({names}) FROM STDIN", prepared())
        marks = ", ".join(["%s"] * len(columns))
        values_list = list(prepared())
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608  # nosec B608
            values_list,
        )
        return len(values_list)


def _copy(cursor: Any, sql: str, rows: Iterable[tuple[Any, ...]]) -> int:
    """COPY rows in. If the server goes away mid-stream, the error raised is the lost
    connection, and nothing extra is logged: left to psycopg, ending the COPY after the
    failure logs "error ignored terminating …" on the command line's standard error."""
    import psycopg

    count = 0
    lost: psycopg.OperationalError | None = None
    with cursor.copy(sql) as copy:
        try:
            for values in rows:
                copy.write_row(values)
                count += 1
        except psycopg.OperationalError as error:
            lost = error  # leaving the block normally makes psycopg raise, not log
    if lost is not None:
        raise lost
    return count


def update_grouped(model: type[models.Model], changes: Iterable[tuple[int, dict[str, Any]]]) -> int:
    """Apply (pk, new values) pairs with one UPDATE per distinct set of new values.

    A September roster moves every pupil up a year: grouped, that is one statement per
    year group instead of one per pupil. Returns the number of statements run.
    """
    groups: dict[tuple[tuple[str, Any], ...], list[int]] = {}
    for pk, values in changes:
        groups.setdefault(tuple(sorted(values.items())), []).append(pk)
    statements = 0
    for key, pks in groups.items():
        for start in range(0, len(pks), UPDATE_CHUNK):
            model._default_manager.filter(pk__in=pks[start : start + UPDATE_CHUNK]).update(
                **dict(key)
            )
            statements += 1
    return statements
