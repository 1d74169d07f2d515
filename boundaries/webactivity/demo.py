"""Three invented weeks of Rivington's proxy log, analysed as the head would analyse it.

The log is generated in a temporary file and deleted; only the figures are kept, as
with a real upload. Runs once: a school with an analysis already is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils import timezone

from boundaries.core.models import Organisation, StaffRecord, User
from boundaries.webactivity.actions import mark_work_use
from boundaries.webactivity.ingest import analyse_for_school
from boundaries.webactivity.models import AnalysisRun

SOCIAL = [
    "www.facebook.com:443",
    "www.instagram.com:443",
    "www.tiktok.com:443",
    "www.youtube.com:443",
]
WORK = [
    "http://www.bbc.co.uk/bitesize",
    "https://classroom.example.org:443",
    "http://www.example.org/",
]


def _line(moment: dt.datetime, login: str, url: str, denied: bool = False) -> str:
    code = "TCP_DENIED/403" if denied else "TCP_MISS/200"
    method = "CONNECT" if url.endswith(":443") else "GET"
    stamp = f"{moment.timestamp():.3f}"
    return f"{stamp}     20 10.20.0.9 {code} 900 {method} {url} {login} HIER_DIRECT/192.0.2.8 -"


def _days(today: dt.date, count: int) -> list[dt.date]:
    days: list[dt.date] = []
    day = today - dt.timedelta(days=1)
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= dt.timedelta(days=1)
    return sorted(days)


def invented_log(staff: list[StaffRecord], today: dt.date, zone: ZoneInfo) -> list[str]:
    rng = random.Random(4101)
    heavy = {s.pk for s in staff[3:5]}
    lines = []
    for day in _days(today, 15):
        for record in staff:
            login = record.work_email.split("@", 1)[0]
            start = dt.datetime.combine(day, dt.time(8, 0), tzinfo=zone)
            for _ in range(rng.randint(20, 60)):
                at = start + dt.timedelta(minutes=rng.randint(0, 9 * 60))
                lines.append(_line(at, login, rng.choice(WORK)))
            for _ in range(rng.randint(0, 40 if record.pk in heavy else 6)):
                at = start + dt.timedelta(minutes=rng.randint(0, 10 * 60))
                lines.append(_line(at, login, rng.choice(SOCIAL), denied=rng.random() < 0.05))
    lines.sort()
    return lines


def build_demo(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    school = orgs["rivington"]
    made = {"web activity figures": 0}
    if AnalysisRun.objects.filter(organisation=school).exists():
        return made
    head = users.get("head.rivington")
    staff = list(
        StaffRecord.objects.filter(organisation=school, leaving_date__isnull=True)
        .exclude(work_email="")
        .order_by("pk")
    )
    head_record = next((s for s in staff if head and s.user_id == head.pk), None)
    if head and head_record:
        mark_work_use(school, "Facebook", head_record, actor=head)
    zone = ZoneInfo(school.timezone)
    with tempfile.TemporaryDirectory(prefix="boundaries-demo-") as folder:
        path = Path(folder) / "rivington-proxy.log"
        path.write_text("\n".join(invented_log(staff, timezone.localdate(), zone)) + "\n")
        run, _ = analyse_for_school(school, [path], fmt="squid", actor=head, workers=1)
    made["web activity figures"] = run.days.count()
    return made
