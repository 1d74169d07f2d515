"""Hand-written SELECTs for the few lookups that every page makes, returning model instances.

Why: compiling an ORM query costs more CPU than running it. On the two-core benchmark
machine a one-row `Model.objects.get()` took 0.5 to 2.6 ms of CPU, a whole `/healthz` request
0.5 ms, and the same SELECT sent as text 0.05 ms (docs/decisions/0009). The session, the
person, their roles and the organisation are looked up on every request, so those few
queries are written out here, once, from the models' own metadata: a renamed column
changes the SQL with it, and the values go through the same converters the ORM uses
(dates from SQLite, JSON), so the instances are what the ORM would have returned.

Everything else keeps using the ORM. Nothing here caches rows: each call reads the database.

On PostgreSQL these statements are also prepared, once per connection: the server parses
and plans a statement every time it is sent as text, which cost it more CPU than running
it (0.3 to 0.5 ms for the session's join, against 0.1 ms to run it). Only the statements
sent through `rows()` are prepared; the ORM's queries are sent as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models


def quote(name: str) -> str:
    return str(connection.ops.quote_name(name))


def table(model: type[models.Model]) -> str:
    return quote(model._meta.db_table)


def column(model: type[models.Model], alias: str, name: str) -> str:
    """`alias."column"` for a stored field of the model, by name."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise ValueError(f"{model.__name__}.{name} is not a stored column")
    return f"{quote(alias)}.{quote(field.column)}"


def columns(model: type[models.Model], alias: str) -> str:
    """Every stored column of the model, in field order, as `alias."column", …`."""
    return ", ".join(column(model, alias, f.name) for f in model._meta.concrete_fields)


def width(model: type[models.Model]) -> int:
    return len(model._meta.concrete_fields)


def rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run one of these statements (written with `%s` placeholders, as for Django's cursors).

    While queries are logged (DEBUG, tests that count them) it goes through Django's cursor
    wrapper like any ORM query. Otherwise it goes straight to the driver's cursor: the
    wrapper, made and closed for each statement, cost more CPU than a short SELECT itself
    (about 100 µs against 40 on SQLite). What the wrapper checks is kept: a transaction
    that must be rolled back refuses the statement, and driver errors become Django's.
    """
    db = connections[DEFAULT_DB_ALIAS]
    if db.queries_logged:
        return _logged_rows(db, sql, params)
    db.ensure_connection()
    db.validate_no_broken_transaction()
    with db.wrap_database_errors:
        if db.vendor == "postgresql":
            return _prepared_rows(db, sql, params)
        cursor = db.connection.cursor()
        try:
            return list(cursor.execute(_qmark(sql), params).fetchall())
        finally:
            cursor.close()


def _logged_rows(db: Any, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    if db.vendor == "postgresql":
        db.ensure_connection()
        with _preparing(db.connection) as cursor, db.make_debug_cursor(cursor) as logged:
            logged.execute(sql, params)
            return list(logged.fetchall())
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


@cache
def _qmark(sql: str) -> str:
    """SQLite's placeholders, as Django's SQLite cursor writes them."""
    from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX

    return str(FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%"))


def _prepared_rows(db: Any, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """PostgreSQL, unlogged: on a server-binding cursor kept with the connection (making a
    psycopg cursor costs about 25 µs), preparing as `_preparing` says."""
    raw = db.connection
    kept = getattr(db, "_boundaries_prepared_cursor", None)
    if kept is None or kept[0] is not raw or kept[1].closed:
        from django.db.backends.postgresql import base

        server_binding: Any = base.ServerBindingCursor  # a psycopg cursor; see _preparing
        kept = (raw, server_binding(raw))
        db._boundaries_prepared_cursor = kept
    cursor = kept[1]
    switch = raw.prepare_threshold
    raw.prepare_threshold = 0  # prepare on first use
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
    finally:
        raw.prepare_threshold = switch


@contextmanager
def _preparing(raw: Any) -> Iterator[Any]:
    """A cursor that runs its statement as a prepared statement of this PostgreSQL
    connection: psycopg prepares it on its first use (the parameters bound by the server,
    not spliced into the text) and runs it by name from then on, so the server no longer
    parses and plans it on every request. Django's cursors bind on the client and never
    prepare; the connection's switch is on only while this cursor runs. Prepared statements
    stay prepared (psycopg forgets them all after a rollback, and prepares them again)."""
    from django.db.backends.postgresql import base

    server_binding: Any = base.ServerBindingCursor  # a psycopg cursor; the stubs lack psycopg
    switch = raw.prepare_threshold
    raw.prepare_threshold = 0  # prepare on first use
    try:
        with server_binding(raw) as cursor:
            yield cursor
    finally:
        raw.prepare_threshold = switch


Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class _Plan:
    """How to turn a model's columns into an instance, found once per model (finding the
    ORM's converters is most of the cost). The converters read the connection's settings,
    not its state, so they serve every connection of the same kind."""

    attnames: tuple[str, ...]
    pk_index: int
    converters: tuple[tuple[int, Any, tuple[Converter, ...]], ...]


@cache
def _plan(model: type[models.Model], vendor: str) -> _Plan:
    fields = model._meta.concrete_fields
    converters = []
    for i, field in enumerate(fields):
        col = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if found:
            converters.append((i, col, tuple(found)))
    return _Plan(tuple(f.attname for f in fields), fields.index(model._meta.pk), tuple(converters))


def instance[M: models.Model](model: type[M], values: Sequence[Any]) -> M | None:
    """A model instance from its columns as `columns()` listed them; None if the row is
    missing (an outer join that found nothing leaves the primary key empty)."""
    return _instance(model, values, connections[DEFAULT_DB_ALIAS])


def _instance[M: models.Model](model: type[M], values: Sequence[Any], db: Any) -> M | None:
    plan = _plan(model, db.vendor)
    if len(values) != len(plan.attnames):
        raise ValueError(f"{model.__name__}: {len(values)} values for {len(plan.attnames)} columns")
    if values[plan.pk_index] is None:
        return None
    converted = list(values)
    for i, col, converters in plan.converters:
        if converted[i] is not None:
            for converter in converters:
                converted[i] = converter(converted[i], col, db)
    return model.from_db(db.alias, plan.attnames, converted)


def split(row: Sequence[Any], *models_: type[models.Model]) -> list[Any]:
    """Cut a joined row into one instance per model (None where the join found nothing),
    and whatever plain values follow them."""
    db = connections[DEFAULT_DB_ALIAS]  # once: each lookup is a thread-local's
    out: list[Any] = []
    start = 0
    for model in models_:
        out.append(_instance(model, row[start : start + width(model)], db))
        start += width(model)
    out.extend(row[start:])
    return out


def value(model: type[models.Model], name: str, raw: Any) -> Any:
    """One column's value as the ORM would return it (SQLite hands back a date computed in
    a subquery as text, a boolean as 0 or 1)."""
    if raw is None:
        return None
    db = connections[DEFAULT_DB_ALIAS]
    plan = _plan(model, db.vendor)
    index = plan.attnames.index(model._meta.get_field(name).attname)  # type: ignore[union-attr]
    for i, col, converters in plan.converters:
        if i == index:
            for converter in converters:
                raw = converter(raw, col, db)
    return raw


def datetime_param(value: Any) -> Any:
    """A datetime as the backend stores it (SQLite keeps naive UTC text)."""
    return connection.ops.adapt_datetimefield_value(value)
