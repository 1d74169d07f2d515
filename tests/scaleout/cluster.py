"""An authority's deployment on loopback, for the scale-out test: a PostgreSQL database of
its own on the shared server, `boundaries serve` processes, `boundaries worker` processes
and Debian's nginx in front, terminating TLS with a throwaway certificate.

Every process is started here and stopped here, by its own handle.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import requests

NGINX = shutil.which("nginx") or (
    "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None
)
OPENSSL = shutil.which("openssl")
BOUNDARIES = [sys.executable, "-m", "boundaries.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_url() -> str:
    """The PostgreSQL server the suite uses when DATABASE_URL names one, else the shared
    one on loopback; the scale-out test makes a database of its own there."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"
    return "postgres://postgres@127.0.0.1:5432"


def postgresql_answers(server: str) -> bool:
    try:
        with psycopg.connect(f"{server}/postgres", connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@contextmanager
def fresh_database(server: str) -> Iterator[str]:
    """A new, empty database, dropped afterwards even if a process still holds it."""
    name = f"boundaries_scaleout_{secrets.token_hex(4)}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_command(args: list[str], env: dict[str, str], timeout: float = 300) -> str:
    result = subprocess.run(
        [*BOUNDARIES, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"boundaries {' '.join(args)}: {result.stderr[-2000:]}"
    return result.stdout


@dataclass
class Process:
    """A started process with its output in a file, so a test can wait for a line."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, predicate: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while predicate not in self.output():
            if self.popen.poll() is not None:
                raise AssertionError(f"{self.name} exited: {self.output()[-3000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: no {predicate!r} after {timeout} s")
            time.sleep(0.2)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(10)
        return int(self.popen.returncode)


@dataclass
class Cluster:
    root: Path
    env: dict[str, str]
    processes: list[Process] = field(default_factory=list)

    def start(self, name: str, args: list[str], env: dict[str, str] | None = None) -> Process:
        log = self.root / f"{name}.log"
        handle = log.open("wb")
        popen = subprocess.Popen(
            args, env=env or self.env, stdout=handle, stderr=subprocess.STDOUT, cwd=self.root
        )
        handle.close()
        process = Process(name, popen, log)
        self.processes.append(process)
        return process

    def serve(self, name: str, port: int) -> Process:
        args = [*BOUNDARIES, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
        process = self.start(name, args)
        wait_for_http(process, f"http://127.0.0.1:{port}/healthz")
        return process

    def worker(self, name: str) -> Process:
        return self.start(name, [*BOUNDARIES, "worker"])

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            process.stop()


def wait_for_http(process: Process, url: str, timeout: float = 90) -> None:
    """Until the server answers at all (in production it redirects plain HTTP to HTTPS)."""
    deadline = time.monotonic() + timeout
    while True:
        if process.popen.poll() is not None:
            raise AssertionError(f"{process.name} exited: {process.output()[-3000:]}")
        try:
            requests.get(url, timeout=2, allow_redirects=False)
            return
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise AssertionError(f"{process.name} did not answer at {url}") from None
            time.sleep(0.2)


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, valid for a day, that the test's client trusts."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            OPENSSL or "openssl",
            *("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
            *("-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


NGINX_CONF = """\
daemon off;
worker_processes 1;  # one worker: round robin then strictly alternates the upstreams
pid {root}/nginx.pid;
error_log {root}/nginx-error.log warn;
{user}
events {{ worker_connections 64; }}
http {{
    log_format with_id '$remote_addr [$time_local] "$request" $status $request_id';
    access_log {root}/nginx-access.log with_id;
    client_body_temp_path {root}/nginx-body;
    proxy_temp_path {root}/nginx-proxy;
    fastcgi_temp_path {root}/nginx-fastcgi;
    uwsgi_temp_path {root}/nginx-uwsgi;
    scgi_temp_path {root}/nginx-scgi;

    upstream boundaries {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        client_max_body_size 50m;
        location / {{
            proxy_pass http://boundaries;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Request-ID $request_id;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def start_nginx(
    cluster: Cluster, port: int, upstreams: list[int], cert: Path, key: Path
) -> Process:
    conf = cluster.root / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            root=cluster.root,
            # As root, nginx's workers would otherwise become `nobody`, who cannot enter
            # the test's private temporary directory.
            user="user root;" if os.geteuid() == 0 else "",
            servers="\n".join(f"        server 127.0.0.1:{p};" for p in upstreams),
            port=port,
            cert=cert,
            key=key,
        )
    )
    assert NGINX is not None
    test = subprocess.run(
        [NGINX, "-t", "-p", str(cluster.root), "-e", "stderr", "-c", str(conf)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert test.returncode == 0, test.stderr
    process = cluster.start(
        "nginx", [NGINX, "-p", str(cluster.root), "-e", "stderr", "-c", str(conf)]
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            if process.popen.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"nginx did not start: {process.output()}") from None
            time.sleep(0.1)
