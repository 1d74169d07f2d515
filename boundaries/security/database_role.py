"""The PostgreSQL privileges of the role the application runs as (ASVS 5.0 V13.2.2).

The running application only reads and writes rows; changing the schema is for migrations,
run under the role that owns the tables. So the application's role gets SELECT, INSERT,
UPDATE and DELETE on the application's tables and USAGE on their sequences, and nothing
that creates, alters, drops or truncates. Audit events get SELECT and INSERT alone: beside
the trigger that refuses changing them (core migration 0002), the role cannot even ask.
Run again after each migration, as the owner: it starts by revoking, so the result is exact.
"""

from __future__ import annotations

import re

from django.db import connection, transaction

from boundaries.core import audit

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# Tables the running application must not change at all.
READ_AND_APPEND = {"core_auditevent": "SELECT, INSERT", "django_migrations": "SELECT"}
ROWS = "SELECT, INSERT, UPDATE, DELETE"


class RoleError(ValueError):
    """A role name that is not a plain PostgreSQL identifier, or a database that is not
    PostgreSQL."""


def statements(role: str) -> list[str]:
    """The GRANT statements that give `role` row access to this database and no more."""
    if not ROLE_NAME.match(role):
        raise RoleError(f"{role!r} is not a role name: lower-case letters, digits and _ only")
    if connection.vendor != "postgresql":
        raise RoleError("database roles are PostgreSQL's; SQLite has none (docs/deployment.md)")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), current_schema()")
        database, schema = cursor.fetchone()
        # pg_class, not information_schema, which leaves out identity columns' sequences.
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'S' AND n.nspname = current_schema() ORDER BY c.relname"
        )
        sequences = [name for (name,) in cursor.fetchall()]
    tables = sorted(connection.introspection.django_table_names(only_existing=True))
    tables.append("django_migrations")
    name = quote(role)
    found = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {quote(schema)} FROM {name};",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {quote(schema)} FROM {name};",
        f"GRANT CONNECT ON DATABASE {quote(database)} TO {name};",
        f"GRANT USAGE ON SCHEMA {quote(schema)} TO {name};",
    ]
    found += [
        f"GRANT {READ_AND_APPEND.get(table, ROWS)} ON TABLE {quote(table)} TO {name};"
        for table in tables
    ]
    found += [f"GRANT USAGE, SELECT ON SEQUENCE {quote(s)} TO {name};" for s in sequences]
    return found


def grant(role: str) -> int:
    """Apply the statements in one transaction, audited; returns how many tables."""
    with transaction.atomic():
        found = statements(role)
        with connection.cursor() as cursor:
            for statement in found:
                cursor.execute(statement)
        tables = sum(1 for s in found if " ON TABLE " in s)
        audit.record(
            "security.database_role_granted",
            actor=None,
            after={"role": role, "tables": tables},
        )
    return tables
