"""Time `analyse --school` end to end: the engine, then saving the figures in one transaction.

Run: .venv/bin/python bench/weblogs_generate.py --lines 1000000 --out /tmp/wabench/squid.log
     .venv/bin/python bench/webactivity_school.py /tmp/wabench/squid.log
Uses a throwaway SQLite database: one organisation holding the generator's 600 staff, its
identities CSV uploaded as a school would (person = MIS id), retention set to 730 days
because the generator writes 2025 dates.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    log = Path(sys.argv[1])
    folder = tempfile.mkdtemp(prefix="bench-webactivity-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/db.sqlite3"
    os.environ["BOUNDARIES_DATA_DIR"] = folder
    from boundaries.cli import django_setup

    django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from boundaries.core.models import Organisation, StaffRecord, User
    from boundaries.webactivity import actions
    from boundaries.webactivity.identity_import import read_identities
    from boundaries.webactivity.ingest import analyse_for_school

    ids = Path(f"{log}.identities.csv").read_bytes()
    people = sorted({line.split(",", 1)[0] for line in ids.decode().splitlines()[1:]})
    school = Organisation.objects.create(name="Bench", slug="bench", kind="school")
    head = User.objects.create(username="head", email="head@bench.example")
    StaffRecord.objects.bulk_create(
        StaffRecord(organisation=school, full_name=p, mis_id=p) for p in people
    )
    actions.save_settings(
        school, threshold_minutes=15, retention_days=730, match_email_logins=False, actor=head
    )
    actions.replace_identities(school, read_identities(school, ids), actor=head, source="ids")
    size = log.stat().st_size
    for label in ("first analysis", "same file again (replaces)"):
        start = time.perf_counter()
        run, analysis = analyse_for_school(school, [log], fmt="squid", actor=head)
        total = time.perf_counter() - start
        print(
            f"{label}: {analysis.lines:,} lines, {size / 1e6:.0f} MB, {run.days.count():,} "
            f"figures saved, {total:.2f} s end to end "
            f"({analysis.lines / total / 1e6:.2f} M lines/s)"
        )
    start = time.perf_counter()
    if os.environ.get("PROFILE"):
        import cProfile

        cProfile.runctx(
            "actions.save_analysis(school, analysis, actor=head)",
            globals(),
            {"actions": actions, "school": school, "analysis": analysis, "head": head},
            sort="cumulative",
        )
    else:
        actions.save_analysis(school, analysis, actor=head)
    saved = time.perf_counter() - start
    print(f"saving the figures alone (delete + insert, one transaction): {saved:.2f} s")


if __name__ == "__main__":
    main()
