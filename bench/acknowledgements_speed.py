"""One command: generate the county-sized authority and time the staff import, the
authority and school dashboards and a member of staff's "Policies to read" page.

Usage:
  python bench/acknowledgements_speed.py                      # SQLite in a temporary file
  python bench/acknowledgements_speed.py --database-url postgres://postgres@127.0.0.1:5432/postgres
For PostgreSQL a scratch database `bench_ack_<pid>` is created on that server and dropped.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def timed_get(client, url: str, n: int) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    samples = []
    queries = 0
    for _ in range(n):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return statistics.median(samples), p95(samples), queries


def staff_csv(rows: int) -> bytes:
    lines = ["mis_id,full_name,work_email,job_title,team,start_date,line_manager"]
    for i in range(rows):
        manager = "" if i < 10 else f"I{i % 10:05d}"
        lines.append(
            f"I{i:05d},Imported Person {i},ip{i}@import.example,Teacher,"
            f"Team {i % 7},2016-09-01,{manager}"
        )
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--schools", type=int, default=600)
    parser.add_argument("--import-rows", type=int, default=30000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    scratch = None
    if args.database_url.startswith("postgres"):
        import psycopg

        parts = urlsplit(args.database_url)
        scratch = f"bench_ack_{os.getpid()}"
        with psycopg.connect(args.database_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {scratch}")
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{scratch}"))
    else:
        tmp = tempfile.mkdtemp(prefix="bench-ack-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boundaries.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    try:
        run(args)
    finally:
        if scratch:
            from django.db import connections

            connections.close_all()
            import psycopg

            with psycopg.connect(args.database_url, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)")


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.conf import settings

    settings.MFA_REQUIRED_ROLES = []  # timing our pages, not the second factor at sign-in
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    from acknowledgements_generate import generate

    from boundaries.acknowledgements.models import Acknowledgement
    from boundaries.core import actions as core_actions
    from boundaries.core.models import Organisation, StaffRecord, User
    from boundaries.core.roles import Role
    from boundaries.roster.actions import import_file

    load = os.getloadavg()
    print(f"database: {connection.vendor}; load average before: {load}; cpus: {os.cpu_count()}")
    start = time.perf_counter()
    made = generate(schools=args.schools)
    print(
        f"generated {len(made.school_slugs)} schools, {made.staff} staff, "
        f"{Acknowledgement.objects.count()} acknowledgements in {time.perf_counter() - start:.1f} s"
    )

    authority = Organisation.objects.get(slug=made.authority_slug)
    target = Organisation.objects.create(
        name="Import School", slug="import-school", kind="school", parent=authority
    )
    data = staff_csv(args.import_rows)
    start = time.perf_counter()
    plan = import_file(target, "staff", data, filename="staff.csv", dry_run=False, actor=None)
    first = time.perf_counter() - start
    assert plan.ok, plan.errors[:3]
    start = time.perf_counter()
    again = import_file(target, "staff", data, filename="staff.csv", dry_run=False, actor=None)
    second = time.perf_counter() - start
    print(
        f"staff import of {args.import_rows} rows: {first:.2f} s (added {len(plan.new)}); "
        f"same file again: {second:.2f} s (changed {len(again.changes)}, added {len(again.new)})"
    )

    admin = User.objects.create_user("bench.admin", "bench.admin@benchshire.example", "x")
    core_actions.grant_role(admin, authority, Role.AUTHORITY_ADMIN, actor=None)
    school = Organisation.objects.get(slug=made.school_slugs[0])
    head = User.objects.create_user("bench.head", "bench.head@bench.example", "x")
    core_actions.grant_role(head, school, Role.HEADTEACHER, actor=None)
    teacher = User.objects.create_user("bench.teacher", "p7@bench-000.example", "x")
    core_actions.grant_role(teacher, school, Role.STAFF, actor=None)
    StaffRecord.objects.filter(organisation=school, mis_id="B000-007").update(user=teacher)

    for label, user, url in (
        ("authority dashboard", admin, f"/o/{authority.slug}/reports/schools/"),
        ("school dashboard", head, f"/o/{school.slug}/reports/acknowledgements/"),
        ("policies to read", teacher, f"/o/{school.slug}/to-read/"),
    ):
        client = Client()
        client.force_login(user)
        median, high, queries = timed_get(client, url, args.requests)
        print(
            f"{label}: median {median:.1f} ms, p95 {high:.1f} ms, {queries} queries "
            f"({args.requests} requests)"
        )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
