"""Load figures with wrk on loopback against the production server (`boundaries serve`,
gunicorn, BOUNDARIES_ENV=production behind an HTTPS proxy header): a staff member's
"Policies to read" page, a school's acknowledgement dashboard, and the minimal Django view
`/healthz` (every middleware, no database) in the same run, at 16 and 64 connections.

    python bench/load_pages.py [--seconds 10] [--workers 4]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
SESSION_SCRIPT = """
import json, sys, time
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from boundaries.core.models import User
from boundaries.security import sessions
out = {}
for username in sys.argv[1:]:
    user = User.objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    for key in (sessions.SIGNED_IN_AT, sessions.SECOND_FACTOR_AT, sessions.REAUTH_AT):
        store[key] = time.time()
    store.create()
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
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def _wrk(url: str, headers: list[str], connections: int, seconds: int) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = _seconds(re.search(r"99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = int(non2xx.group(1)) if non2xx else 0
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    return {"rps": rps, "p99_ms": p99 * 1000, "errors": errors}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    with tempfile.TemporaryDirectory(prefix="boundaries-load-") as work_dir:
        work = Path(work_dir)
        env = {
            **os.environ,
            "BOUNDARIES_DATA_DIR": str(work),
            "DATABASE_URL": os.environ.get("LOAD_DATABASE_URL", f"sqlite:///{work}/load.sqlite3"),
            "DJANGO_SETTINGS_MODULE": "boundaries.settings",
            "LOG_LEVEL": "WARNING",
        }
        _run(str(BIN / "boundaries"), "migrate", env=env)
        _run(str(BIN / "boundaries"), "demo", env=env)
        keys = json.loads(
            _run(
                str(BIN / "python"),
                "-c",
                f"import django; django.setup()\n{SESSION_SCRIPT}",
                "teacher.rivington",
                "head.rivington",
                env=env,
            )
        )
        port = _free_port()
        production = {
            **env,
            "BOUNDARIES_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"https://127.0.0.1:{port}",
        }
        # The sessions were made under the development key: make them again under this one.
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
                f"server: gunicorn, {options.workers} sync workers, BOUNDARIES_ENV=production, "
                f"{env['DATABASE_URL'].split(':')[0]}; wrk -t2, {options.seconds}s per run"
            )
            print(
                f"{'page':<28} {'conns':>5} {'req/s':>8} {'p99 ms':>8} {'errors':>7} "
                f"{'vs minimal':>10}"
            )
            floor: dict[int, float] = {}
            failed = False
            for label, path, user in PAGES:
                headers = ["X-Forwarded-Proto: https"]
                if user:
                    headers.append(f"Cookie: __Host-sessionid={keys[user]}")
                for connections in (16, 64):
                    result = _wrk(base + path, headers, connections, options.seconds)
                    floor.setdefault(connections, result["rps"])
                    share = result["rps"] / floor[connections]
                    failed |= result["errors"] > 0
                    print(
                        f"{label:<28} {connections:>5} {result['rps']:>8.0f} "
                        f"{result['p99_ms']:>8.1f} {result['errors']:>7} {share:>9.0%}"
                    )
            load = os.getloadavg()
            print(f"load average after {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
            return 1 if failed else 0
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
