"""Acknowledgements are evidence: the database refuses to change one (and, on PostgreSQL,
to delete one), as it does for audit events."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS acknowledgement_no_update
       BEFORE UPDATE ON acknowledgements_acknowledgement
       BEGIN SELECT RAISE(ABORT, 'acknowledgements cannot be changed'); END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS acknowledgement_no_update"]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION acknowledgement_unchangeable() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'acknowledgements cannot be changed'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER acknowledgement_no_change
       BEFORE UPDATE OR DELETE ON acknowledgements_acknowledgement
       FOR EACH ROW EXECUTE FUNCTION acknowledgement_unchangeable()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS acknowledgement_no_change ON acknowledgements_acknowledgement",
    "DROP FUNCTION IF EXISTS acknowledgement_unchangeable()",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("acknowledgements", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
