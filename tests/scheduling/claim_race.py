"""Run by the SQLite race test as processes of their own (DATABASE_URL in the environment).

python -m tests.scheduling.claim_race migrate   creates the scheduling table
python -m tests.scheduling.claim_race           prints `ready`, waits for a line on
                                                standard input, claims the slot and
                                                prints `won` or `lost`
"""

from __future__ import annotations

import datetime as dt
import os
import sys

import django

SLOT = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boundaries.settings")
    django.setup()
    if sys.argv[1:] == ["migrate"]:
        from django.core.management import call_command

        call_command("migrate", "scheduling", verbosity=0)
        return
    from boundaries.scheduling.actions import claim

    print("ready", flush=True)
    sys.stdin.readline()
    run = claim("count", SLOT, worker=f"process:{os.getpid()}", now=SLOT)
    print("won" if run is not None else "lost", flush=True)


if __name__ == "__main__":
    main()
