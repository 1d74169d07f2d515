"""An authority's deployment on loopback, for the scale-out test: a PostgreSQL database of
its own on the shared server, `boundaries serve` processes, `boundaries worker` processes
and Debian's nginx in front, terminating TLS with a throwaway certificate.

nginx takes its TLS settings, for browsers and for its https hop to the servers, from the
nginx site in docs/deployment.md, so the guide and what the test proves cannot drift apart.

Every process is started here and stopped here, by its own handle.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

NGINX = shutil.which("nginx") or (
    "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None
)
OPENSSL = shutil.which("openssl")
BOUNDARIES = [sys.executable, "-m", "boundaries.cli"]
DEPLOYMENT_GUIDE = Path(__file__).resolve().parents[2] / "docs" / "deployment.md"
# The documented directives that name files on the guide's machine, not the test's
TLS_FILES = ("ssl_certificate", "ssl_certificate_key", "proxy_ssl_trusted_certificate")


def documented_tls() -> dict[str, str]:
    """The `ssl_*` and `proxy_ssl_*` directives of the guide's nginx site, name -> value."""
    guide = DEPLOYMENT_GUIDE.read_text()
    site = next(b for b in guide.split("```nginx")[1:] if "upstream boundaries" in b)
    directives = {}
    for line in site.split("```")[0].splitlines():
        words = line.split("#")[0].strip().rstrip(";").split(None, 1)
        if len(words) == 2 and words[0].startswith(("ssl_", "proxy_ssl_")):
            directives[words[0]] = words[1]
    return directives


def pinned_name() -> str:
    """The name nginx expects on every application server's certificate."""
    return documented_tls()["proxy_ssl_name"]


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

    def serve(
        self,
        name: str,
        port: int,
        tls: tuple[Path, Path],
        ca: Path,
        env: dict[str, str] | None = None,
        certified_name: str | None = None,
    ) -> Process:
        """`boundaries serve` over https with the certificate and key in `tls`, answering
        once a client trusting only `ca` reaches it under `certified_name` (by default the
        pinned name)."""
        args = [*BOUNDARIES, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
        args += ["--tls-certfile", str(tls[0]), "--tls-keyfile", str(tls[1])]
        process = self.start(name, args, env)
        wait_for_https(process, port, ca, certified_name or pinned_name())
        return process

    def worker(self, name: str) -> Process:
        return self.start(name, [*BOUNDARIES, "worker"])

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            process.stop()


def wait_for_https(
    process: Process, port: int, ca: Path, certified_name: str, timeout: float = 90
) -> None:
    """Until the server completes a TLS handshake, under `certified_name`, with a client
    that trusts `ca` alone."""
    context = ssl.create_default_context(cafile=str(ca))
    deadline = time.monotonic() + timeout
    while True:
        if process.popen.poll() is not None:
            raise AssertionError(f"{process.name} exited: {process.output()[-3000:]}")
        try:
            with (
                socket.create_connection(("127.0.0.1", port), timeout=2) as sock,
                context.wrap_socket(sock, server_hostname=certified_name),
            ):
                return
        except (ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                raise AssertionError(f"{process.name} did not answer on {port}") from None
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

    # docs/deployment.md's TLS settings, with this test's files
{tls}

    upstream boundaries {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port} ssl;
        client_max_body_size 50m;
        location / {{
            proxy_pass https://boundaries;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Request-ID $request_id;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
{probes}
}}
"""
# Another front door, with the same TLS settings, to one server of the test's choosing
PROBE = """
    server {{
        listen 127.0.0.1:{port} ssl;
        location / {{
            proxy_pass https://127.0.0.1:{upstream};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto https;
        }}
    }}"""


def start_nginx(
    cluster: Cluster,
    port: int,
    upstreams: list[int],
    edge: tuple[Path, Path],
    internal_ca: Path,
    probes: dict[int, int],
) -> Process:
    """nginx on `port` for browsers, with its certificate and key in `edge`, to the servers
    on `upstreams` in turn, trusting `internal_ca` for them; and on each port of `probes`
    to the one server on the port it maps to."""
    files = dict(zip(TLS_FILES, (*edge, internal_ca), strict=True))
    tls = {**documented_tls(), **{k: str(v) for k, v in files.items()}}
    conf = cluster.root / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            root=cluster.root,
            # As root, nginx's workers would otherwise become `nobody`, who cannot enter
            # the test's private temporary directory.
            user="user root;" if os.geteuid() == 0 else "",
            tls="\n".join(f"    {name} {value};" for name, value in tls.items()),
            servers="\n".join(f"        server 127.0.0.1:{p};" for p in upstreams),
            port=port,
            probes="".join(PROBE.format(port=p, upstream=u) for p, u in probes.items()),
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
