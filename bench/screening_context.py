"""How long the post check's school context takes to build, and what the cache saves.

Run: .venv/bin/python bench/screening_context.py [PUPILS]
Uses a throwaway SQLite database in a temporary folder and an invented roster: PUPILS
pupils (a tenth of them former), 1.5 carers per pupil, 80 staff.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable


def timed(func: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    pupils = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    folder = tempfile.mkdtemp(prefix="bench-screening-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/db.sqlite3"
    os.environ["BOUNDARIES_DATA_DIR"] = folder
    from boundaries.cli import django_setup

    django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from boundaries.core.models import Organisation, StaffRecord
    from boundaries.roster.models import Carer, Pupil
    from boundaries.screening import schoolcontext
    from engines.postcheck import Context, check

    school = Organisation.objects.create(name="Bench School", slug="bench", kind="school")
    first = ["Ava", "Leo", "Isla", "Alfie", "Mia", "Oscar", "Ruby", "Arlo", "Evie", "Theo"]
    last = [f"Surname{i}" for i in range(400)]
    Pupil.objects.bulk_create(
        Pupil(
            organisation=school,
            full_name=f"{first[i % 10]} {last[i % 400]}",
            preferred_name=first[(i + 3) % 10] if i % 7 == 0 else "",
            date_of_birth=dt.date(2012 + i % 8, 1 + i % 12, 1 + i % 28),
            leaving_date=dt.date(2024, 7, 20) if i % 10 == 0 else None,
        )
        for i in range(pupils)
    )
    Carer.objects.bulk_create(
        Carer(organisation=school, full_name=f"Parent{i} {last[i % 400]}")
        for i in range(pupils * 3 // 2)
    )
    StaffRecord.objects.bulk_create(
        StaffRecord(organisation=school, full_name=f"Staff{i} {last[(i * 7) % 400]}")
        for i in range(80)
    )
    today = dt.date(2026, 3, 4)
    data = schoolcontext.context_data(school, today)
    rows = timed(lambda: schoolcontext.context_data(school, today), 20)
    digest = timed(lambda: schoolcontext.digest_of(data), 20)

    def cold() -> None:
        schoolcontext.forget_cached()
        schoolcontext.context_for(school, today)

    build = timed(lambda: Context.from_dict(data).name_index, 10)
    cold_ms = timed(cold, 10)
    schoolcontext.context_for(school, today)
    warm_ms = timed(lambda: schoolcontext.context_for(school, today), 50)
    recheck_ms = timed(lambda: schoolcontext.context_for(school, today, max_age=0), 20)
    context = schoolcontext.context_for(school, today)
    text = "Surname12's mum was rude again at pick-up, honestly some parents"
    checks = timed(lambda: check(text, audience="friends", at=None, context=context), 200)
    med = statistics.median
    print(f"people in context: {len(data['people'])}")
    print(f"read rows from the database: median {med(rows):.1f} ms")
    print(f"digest of the rows: median {med(digest):.2f} ms")
    print(f"build context + name index: median {med(build):.1f} ms")
    print(f"context_for, cache empty: median {med(cold_ms):.1f} ms")
    print(f"context_for, cache warm (within MAX_AGE): median {med(warm_ms):.3f} ms")
    print(f"context_for, entry older than MAX_AGE, rows unchanged: median {med(recheck_ms):.1f} ms")
    print(f"check() with the warm context: median {med(checks):.2f} ms")


if __name__ == "__main__":
    main()
