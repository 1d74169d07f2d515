"""`boundaries serve` over TLS (ASVS V12.3.3, V12.3.4): given a certificate from the internal
CA it speaks only TLS 1.2 or 1.3 and no plain HTTP, so the proxy's hop to it is encrypted
and checkable; without one it stays plain HTTP on loopback, as `bench/load_pages.py` and a
school behind its own proxy use it. tests/scaleout shows nginx checking it.
"""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.scaleout.certificates import Authority
from tests.scaleout.tls import read_all

NAME = "boundaries-app.internal"
HEALTH = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("serve-tls")
    migrated = subprocess.run(
        [sys.executable, "-m", "boundaries.cli", "migrate"],
        env=_env(folder),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert migrated.returncode == 0, migrated.stderr
    return folder


def _env(folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "BOUNDARIES_DATA_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
        "LOG_LEVEL": "WARNING",
    }


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(folder: Path, *options: str) -> Iterator[int]:
    """`boundaries serve` with `options`, until it accepts connections; stopped afterwards."""
    port = _port()
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1", *options]
    log = (folder / f"serve-{port}.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "boundaries.cli", *args],
        env=_env(folder),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, (folder / f"serve-{port}.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "boundaries serve did not listen"
                time.sleep(0.2)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _answer(sock: socket.socket) -> bytes:
    sock.sendall(HEALTH)
    return read_all(sock)


def _over_tls(port: int, context: ssl.SSLContext) -> bytes:
    with (
        socket.create_connection(("127.0.0.1", port), timeout=30) as sock,
        context.wrap_socket(sock, server_hostname=NAME) as conn,
    ):
        return _answer(conn)


def test_serve_with_a_certificate_speaks_only_tls_1_2_or_1_3(data: Path) -> None:
    internal = Authority.create("Boundaries internal CA")
    ca = internal.write(data / "internal-ca.pem")
    cert, key = internal.issue(data, "app", NAME)
    with serving(data, "--tls-certfile", str(cert), "--tls-keyfile", str(key)) as port:
        trusting = ssl.create_default_context(cafile=str(ca))
        assert _over_tls(port, trusting).endswith(b"\r\n\r\nok")
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            assert not _answer(sock).startswith(b"HTTP/")  # plain HTTP gets no answer
        old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        old.load_verify_locations(cafile=str(ca))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            old.minimum_version = old.maximum_version = ssl.TLSVersion.TLSv1_1
        old.set_ciphers("ALL:@SECLEVEL=0")  # the client offers it; only the server refuses
        with pytest.raises(ssl.SSLError, match=r"(?i)protocol.version"):
            _over_tls(port, old)


def test_serve_without_a_certificate_stays_plain_http(data: Path) -> None:
    with serving(data) as port, socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        assert _answer(sock).endswith(b"\r\n\r\nok")


def test_serve_refuses_a_certificate_without_its_key(data: Path, tmp_path: Path) -> None:
    cert, _key = Authority.create("Boundaries internal CA").issue(tmp_path, "app", NAME)
    result = subprocess.run(
        [sys.executable, "-m", "boundaries.cli", "serve", "--tls-certfile", str(cert)],
        env=_env(data),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "--tls-keyfile" in result.stderr
