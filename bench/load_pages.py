"""Load figures with wrk on loopback against the production server (`boundaries serve`,
gunicorn, BOUNDARIES_ENV=production behind an HTTPS proxy header): a staff member's
"Policies to read" page, a school's acknowledgement dashboard, and the minimal Django view
`/healthz` (every middleware, no database) in the same run, at 16 and 64 connections.

    python bench/load_pages.py [--seconds 10] [--workers 4] [--rounds 3]
                               [--database-url postgres://postgres@127.0.0.1:5432/NAME]
                               [--database-cpu 1]

The machine is shared, so the three pages are measured in turn within each round and the
ratio to /healthz is taken from the medians of the rounds: a burst of someone else's work
lands on all three pages rather than on one. Each page is warmed up first (every worker
imports its code on its first request). The sessions are made as a sign-in makes them,
with the record of live sessions that lets them be ended on the server, and
wrk sends the CSRF cookie a browser keeps after its first page.
A PostgreSQL database given with --database-url (or LOAD_DATABASE_URL) is migrated and
filled with the demo; create it before and drop it after.

Beside each page, the CPU it cost a request: the server's processes, the database's
backends for this database and wrk, read from /proc, since a ratio of throughputs alone
cannot say where the time went. On this machine PostgreSQL shares the two cores with the
server and wrk; an authority runs it on a machine of its own. --database-cpu N keeps the
database's backends on CPU N and the server and wrk on the others, which is that layout
in miniature (the server then has one core fewer, for /healthz and the pages alike).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterable
from pathlib import Path

BIN = Path(sys.executable).parent
# A session as a sign-in leaves it: the person, the password hash, the sign-in times, the
# record of live sessions; the second factor passed only by roles that must have one (a
# teacher without an authenticator app never has it, and the server checks on each request).
SESSION_SCRIPT = """
import importlib, json, sys, time
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils import timezone
from boundaries.core.models import User
from boundaries.security import sessions, totp
out = {}
for username in sys.argv[1:]:
    user = User.objects.get(username=username)
    store = importlib.import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    stamps = [sessions.SIGNED_IN_AT, sessions.REAUTH_AT]
    if totp.required_for(user):
        stamps.append(sessions.SECOND_FACTOR_AT)
    for key in stamps:
        store[key] = time.time()
    store.create()
    sessions.remember(user, store.session_key, timezone.now())
    out[username] = store.session_key
print(json.dumps(out))
"""
PAGES = [
    ("minimal view /healthz", "/healthz", None),
    ("staff: policies to read", "/o/rivington/to-read/", "teacher.rivington"),
    ("school dashboard", "/o/rivington/reports/acknowledgements/", "head.rivington"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{args[0]} failed: {result.stderr[-2000:]}")
    return result.stdout


def _seconds(text: str) -> float:
    """wrk's latency ("812.00us", "1.20s"); NaN when it had none to report."""
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:
        return float("nan")
    value, unit = found.groups()
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


# wrk counts a redirect as a success, and a lost session redirects to the sign-in page (fast,
# and not the page at all): every answer other than 200 counts as an error here.
NOT_200 = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not200 = 0 end
function response(status, headers, body) if status ~= 200 then not200 = not200 + 1 end end
function done(summary, latency, requests)
  local n = 0
  for _, thread in ipairs(threads) do n = n + thread:get("not200") end
  io.write(string.format("Not 200: %d\\n", n))
end
"""


def _wrk(
    url: str, headers: list[str], connections: int, seconds: int, cpus: set[int] | None = None
) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if cpus:
        command = ["taskset", "-c", ",".join(map(str, sorted(cpus))), *command]
    for header in headers:
        command += ["-H", header]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(NOT_200)
        script.flush()
        out = subprocess.run(
            [*command, "-s", script.name, url], capture_output=True, text=True, check=True
        ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    latency = re.search(r"99%\s+(\S+)", out)
    p99 = _seconds(latency.group(1)) if latency else float("nan")
    not_200 = re.search(r"Not 200: (\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = int(not_200.group(1)) if not_200 else 0
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    return {"rps": rps, "p99_ms": p99 * 1000, "errors": errors}


def _ticks(pid: str) -> tuple[int, int]:
    """A process's CPU ticks (user + system) and its process group, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0, -1
    return int(fields[11]) + int(fields[12]), int(fields[2])


class CpuMeter:
    """CPU seconds spent by the server's processes (its process group), by the database
    server's backends for this database (PostgreSQL names it in each backend's title) and
    by wrk: where a page's machine time goes, which a ratio of throughputs cannot show."""

    def __init__(self, server_group: int, database: str) -> None:
        self.server_group = server_group
        self.database = database
        self.tick = os.sysconf("SC_CLK_TCK")

    def read(self) -> tuple[dict[str, int], dict[str, int], float]:
        """CPU ticks of each server process and each database backend, and wrk's seconds."""
        server: dict[str, int] = {}
        backends: dict[str, int] = {}
        for pid in filter(str.isdigit, os.listdir("/proc")):
            ticks, group = _ticks(pid)
            if group == self.server_group:
                server[pid] = ticks
            elif self.database and self._serves_database(pid):
                backends[pid] = ticks
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return server, backends, children.ru_utime + children.ru_stime

    def spent(
        self,
        before: tuple[dict[str, int], dict[str, int], float],
        after: tuple[dict[str, int], dict[str, int], float],
    ) -> tuple[float, float, float]:
        """Seconds each part spent between two readings. A process that began in between
        counts whole; one that ended (a database connection past DATABASE_CONN_MAX_AGE)
        loses its last stretch, so the database's figure is a little low, never negative."""

        def between(old: dict[str, int], new: dict[str, int]) -> float:
            return sum(ticks - old.get(pid, 0) for pid, ticks in new.items()) / self.tick

        return between(before[0], after[0]), between(before[1], after[1]), after[2] - before[2]

    def pin(self, app_cpus: set[int], database_cpus: set[int]) -> None:
        """Keep the server on `app_cpus` and this database's backends on `database_cpus`,
        as if the database ran on a machine of its own (checked again before every run:
        a backend may be new)."""
        for pid in filter(str.isdigit, os.listdir("/proc")):
            group = _ticks(pid)[1]
            cpus = app_cpus if group == self.server_group else None
            if cpus is None and self.database and self._serves_database(pid):
                cpus = database_cpus
            if cpus is not None:
                with contextlib.suppress(OSError):
                    os.sched_setaffinity(int(pid), cpus)

    def _serves_database(self, pid: str) -> bool:
        try:
            title = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False
        return title.startswith(b"postgres: ") and f" {self.database} ".encode() in title


def _median_known(values: Iterable[float]) -> float:
    known = [v for v in values if not math.isnan(v)]
    return statistics.median(known) if known else float("nan")


def _drain(base: str) -> None:
    """Wait until the server has answered what the last run left queued: sync workers still
    serve the requests wrk had sent when it stopped, and they must not count against the
    next page. Done when two /healthz answers in a row take under 0.25 s."""
    quick = 0
    deadline = time.monotonic() + 60
    while quick < 2 and time.monotonic() < deadline:
        started = time.monotonic()
        request = urllib.request.Request(f"{base}/healthz", headers={"X-Forwarded-Proto": "https"})
        with urllib.request.urlopen(request, timeout=30):
            pass
        quick = quick + 1 if time.monotonic() - started < 0.25 else 0


def _measure(
    base: str,
    keys: dict[str, str],
    seconds: int,
    rounds: int,
    meter: CpuMeter,
    split: tuple[set[int], set[int]] | None,
) -> bool:
    """Print the table; True if any request failed."""
    headers: dict[str, list[str]] = {}
    csrf_secret = secrets.token_hex(16)  # 32 characters, as Django's own
    for _label, path, user in PAGES:
        headers[path] = ["X-Forwarded-Proto: https"]
        if user:  # and the CSRF cookie a browser holds after its first page
            headers[path].append(
                f"Cookie: __Host-sessionid={keys[user]}; __Host-csrftoken={csrf_secret}"
            )
        _wrk(base + path, headers[path], 16, 1)  # warm-up, not counted
        _drain(base)
    print(
        f"{'page':<28} {'conns':>5} {'req/s':>8} {'p99 ms':>8} {'errors':>7} "
        f"{'vs minimal':>10} {'per round':>14}   CPU ms a request: app, database, wrk"
    )
    failed = False
    for connections in (16, 64):
        runs: dict[str, list[dict[str, float]]] = {path: [] for _l, path, _u in PAGES}
        for _round in range(rounds):
            for _label, path, _user in PAGES:
                if split:
                    meter.pin(*split)
                before = meter.read()
                run = _wrk(base + path, headers[path], connections, seconds, split and split[0])
                spent = meter.spent(before, meter.read())
                answered = run["rps"] * seconds or 1.0
                run.update(
                    zip(
                        ("app_ms", "db_ms", "wrk_ms"),
                        (x / answered * 1e3 for x in spent),
                        strict=True,
                    )
                )
                runs[path].append(run)
                _drain(base)
        floor = [r["rps"] for r in runs[PAGES[0][1]]]
        for label, path, _user in PAGES:
            rps = [r["rps"] for r in runs[path]]
            errors = int(sum(r["errors"] for r in runs[path]))
            failed |= errors > 0
            shares = [p / m if m else 0.0 for p, m in zip(rps, floor, strict=True)]
            print(
                f"{label:<28} {connections:>5} {statistics.median(rps):>8.0f} "
                f"{_median_known(r['p99_ms'] for r in runs[path]):>8.1f} {errors:>7} "
                f"{statistics.median(rps) / (statistics.median(floor) or 1):>9.0%} "
                f"{min(shares):>7.0%} to {max(shares):.0%}   "
                + ", ".join(
                    f"{statistics.median(r[part] for r in runs[path]):.2f}"
                    for part in ("app_ms", "db_ms", "wrk_ms")
                )
            )
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOAD_DATABASE_URL", ""),
        help="an empty PostgreSQL database (default: a new SQLite file)",
    )
    parser.add_argument(
        "--database-cpu",
        type=int,
        default=None,
        help="with --database-url: run this database's backends on this CPU alone and the "
        "server and wrk on the others, as if the database had a machine of its own",
    )
    options = parser.parse_args()
    split = None
    if options.database_cpu is not None:
        if not options.database_url:
            sys.exit("--database-cpu needs --database-url")
        database_cpus = {options.database_cpu}
        split = (set(os.sched_getaffinity(0)) - database_cpus, database_cpus)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    with tempfile.TemporaryDirectory(prefix="boundaries-load-") as work_dir:
        work = Path(work_dir)
        env = {
            **os.environ,
            "BOUNDARIES_DATA_DIR": str(work),
            "DATABASE_URL": options.database_url or f"sqlite:///{work}/load.sqlite3",
            "DJANGO_SETTINGS_MODULE": "boundaries.settings",
            "LOG_LEVEL": "WARNING",
        }
        _run(str(BIN / "boundaries"), "migrate", env=env)
        _run(str(BIN / "boundaries"), "demo", env=env)
        port = _free_port()
        production = {
            **env,
            "BOUNDARIES_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "FIELD_ENCRYPTION_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"https://127.0.0.1:{port}",
        }
        # Sessions are signed with the production key, so they are made under it.
        keys = json.loads(
            _run(
                str(BIN / "python"),
                "-c",
                f"import django; django.setup()\n{SESSION_SCRIPT}",
                "teacher.rivington",
                "head.rivington",
                env=production,
            )
        )
        server = subprocess.Popen(
            [
                str(BIN / "boundaries"),
                "serve",
                "--port",
                str(port),
                "--workers",
                str(options.workers),
            ],
            env=production,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    request = urllib.request.Request(
                        f"{base}/healthz", headers={"X-Forwarded-Proto": "https"}
                    )
                    with urllib.request.urlopen(request, timeout=2):
                        break
                except OSError:
                    time.sleep(0.3)
            load = os.getloadavg()
            print(
                f"machine: {os.cpu_count()} cores, load average before "
                f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
            )
            print(
                f"server: boundaries serve --workers {options.workers}, BOUNDARIES_ENV=production, "
                f"{env['DATABASE_URL'].split(':')[0]}; wrk -t2, {options.seconds}s per run, "
                f"{options.rounds} round(s), medians"
            )
            database = options.database_url.rsplit("/", 1)[-1] if options.database_url else ""
            meter = CpuMeter(server.pid, database)
            if split:
                print(
                    f"server and wrk on CPUs {sorted(split[0])}, the database on {sorted(split[1])}"
                )
            failed = _measure(base, keys, options.seconds, options.rounds, meter, split)
            load = os.getloadavg()
            print(f"load average after {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
            return 1 if failed else 0
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
