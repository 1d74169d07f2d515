"""Run by the SQLite race tests as processes of their own (DATABASE_URL in the environment).

python -m tests.scheduling.claim_race migrate     creates the scheduling table
python -m tests.scheduling.claim_race stale       adds a run left `running` by a dead worker
python -m tests.scheduling.claim_race             prints `ready`, waits for a line on
                                                  standard input, claims the slot and
                                                  prints `won` or `lost`
python -m tests.scheduling.claim_race take-over   the same, taking over the stale run
"""

from __future__ import annotations

import datetime as dt
import os
import sys

import django

SLOT = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)
DEAD = "dead-host:1"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boundaries.settings")
    django.setup()
    from boundaries.scheduling import actions
    from boundaries.scheduling.models import ScheduledRun

    if sys.argv[1:] == ["migrate"]:
        from django.core.management import call_command

        call_command("migrate", "scheduling", verbosity=0)
        return
    if sys.argv[1:] == ["stale"]:
        ScheduledRun.objects.create(
            job="count", slot=SLOT, worker=DEAD, started_at=SLOT, heartbeat_at=SLOT
        )
        return
    later = SLOT + actions.lease()
    stale = ScheduledRun.objects.get(job="count", slot=SLOT) if sys.argv[1:] else None
    print("ready", flush=True)
    sys.stdin.readline()
    me = f"process:{os.getpid()}"
    if stale is None:
        run = actions.claim("count", SLOT, worker=me, now=SLOT)
    else:
        run = actions.take_over(stale, worker=me, now=later)
    print("won" if run is not None else "lost", flush=True)


if __name__ == "__main__":
    main()
