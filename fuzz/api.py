"""Fuzz the API against its published OpenAPI schema with schemathesis (`make fuzz-api`).

Builds the invented demo in a throwaway SQLite database, serves it with gunicorn on
loopback, signs in two headteachers of different schools (Rivington and Brookside) and runs
`schemathesis run` with every check, object-level authorisation included: each identity's
successful reads are replayed as the other, which must not get the object. Prints the
requests sent, server errors and schema violations; exits non-zero on any failure.

    python fuzz/api.py [--max-examples N] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

SESSION_SCRIPT = """
import json, sys, time
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.conf import settings
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        sys.exit(f"{' '.join(args[:3])} failed:\n{result.stderr}")
    return result.stdout


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"the server did not answer at {url}")


def _auth_file(path: Path, session_keys: dict[str, str]) -> None:
    entries = []
    for username, key in session_keys.items():
        csrf = secrets.token_hex(16)
        entries.append(
            {
                "name": username,
                "fixedHeaders": [
                    {"name": "Cookie", "value": f"sessionid={key}; csrftoken={csrf}"},
                    {"name": "X-CSRFToken", "value": csrf},
                ],
            }
        )
    path.write_text(json.dumps({"schemaVersion": "1", "auth": entries}))


# Failures of these checks fail the run: a crash, a wrong body, a leak between identities.
# Undocumented status codes (status_code_conformance) and valid-looking requests refused for
# ids that do not exist (positive_data_acceptance) are reported as documentation gaps.
BLOCKING = {
    "not_a_server_error",
    "response_schema_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "object_level_authorization",
    "ignored_auth",
    "use_after_free",
    "ensure_resource_availability",
    "negative_data_rejection",
    "missing_required_header",
    "unsupported_method",
}


def summarise(report: Path) -> dict[str, object]:
    """Requests sent, responses by status class, and failures by check, from the NDJSON."""
    requests = 0
    statuses: dict[str, int] = {}
    failures: dict[str, int] = {}
    schema_errors = 0
    identities: set[str] = set()
    for line in report.read_text().splitlines():
        event = json.loads(line)
        if "NonFatalError" in event:
            schema_errors += 1
        finished = event.get("ScenarioFinished")
        if not finished:
            continue
        recorder = finished["recorder"]
        for case in recorder.get("cases", {}).values():
            if case["value"].get("auth_identity"):
                identities.add(case["value"]["auth_identity"])
        for interaction in recorder.get("interactions", {}).values():
            requests += 1
            response = interaction.get("response") or {}
            code = response.get("status_code")
            key = f"{str(code)[0]}xx" if code else "no response"
            statuses[key] = statuses.get(key, 0) + 1
        for checks in recorder.get("checks", {}).values():
            for check in checks:
                if check["status"] == "failure":
                    failures[check["name"]] = failures.get(check["name"], 0) + 1
    return {
        "requests": requests,
        "statuses": dict(sorted(statuses.items())),
        "identities": sorted(identities),
        "failures": dict(sorted(failures.items())),
        "schema_errors": schema_errors,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--max-time", type=int, default=0, help="seconds; 0 for no limit")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="boundaries-fuzz-") as work_dir:
        work = Path(work_dir)
        env = {
            **os.environ,
            "BOUNDARIES_DATA_DIR": str(work),
            "DATABASE_URL": f"sqlite:///{work}/fuzz.sqlite3",
            "BOUNDARIES_ENV": "development",
            "DJANGO_SETTINGS_MODULE": "boundaries.settings",
            "LOG_LEVEL": "ERROR",
            # Thousands of calls a minute: past the rate limits every answer would be 429.
            "RATE_LIMITS_ENABLED": "false",
        }
        boundaries = str(BIN / "boundaries")
        _run(boundaries, "migrate", env=env)
        _run(boundaries, "demo", env=env)
        keys = json.loads(
            _run(
                str(BIN / "python"),
                "-c",
                f"import django; django.setup()\n{SESSION_SCRIPT}",
                "head.rivington",
                "head.brookside",
                env=env,
            )
        )
        auth = work / "auth.json"
        _auth_file(auth, keys)
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603 - our own CLI
            [boundaries, "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(work / "server.log", "w"),  # noqa: SIM115 - closed with the process
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(f"{base}/api/v1/openapi.json")
            report = Path(os.environ.get("FUZZ_REPORT", work / "report.ndjson"))
            command = [
                str(BIN / "schemathesis"),
                "--config-file",
                str(ROOT / "fuzz" / "schemathesis.toml"),
                "run",
                f"{base}/api/v1/openapi.json",
                "--auth-wfc",
                str(auth),
                "--checks",
                "all",
                "--max-examples",
                str(options.max_examples),
                "--seed",
                str(options.seed),
                "--workers",
                "2",
                "--no-color",
                "--report",
                "ndjson",
                "--report-ndjson-path",
                str(report),
            ]
            if options.max_time:
                command += ["--max-time", str(options.max_time)]
            run = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
            (work / "schemathesis.txt").write_text(run.stdout + run.stderr)
            if os.environ.get("FUZZ_VERBOSE"):
                print(run.stdout)
            summary = summarise(report)
            log = (work / "server.log").read_text()
            server_errors = log.count("Internal Server Error")
            violations = summary["failures"].get("response_schema_conformance", 0)  # type: ignore[attr-defined]
            print(f"schemathesis {'passed' if run.returncode == 0 else 'found failures'}:")
            print(json.dumps(summary, indent=2))
            print(
                f"requests sent: {summary['requests']}; server errors: "
                f"{summary['statuses'].get('5xx', 0)} (server log: {server_errors}); "  # type: ignore[attr-defined]
                f"schema violations: {violations}"
            )
            blocking = {k: v for k, v in summary["failures"].items() if k in BLOCKING}  # type: ignore[attr-defined]
            gaps = {k: v for k, v in summary["failures"].items() if k not in BLOCKING}  # type: ignore[attr-defined]
            if gaps:
                print(f"documentation gaps (reported, not failing the run): {gaps}")
            # A schema error is an operation schemathesis could not test at all.
            if (
                blocking
                or server_errors
                or summary["statuses"].get("5xx")  # type: ignore[attr-defined]
                or summary["schema_errors"]
            ):
                print(
                    f"FAILED: {blocking}, {summary['schema_errors']} operation(s) untested; "
                    "details in schemathesis output (FUZZ_VERBOSE=1)"
                )
                return 1
            return 0
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
