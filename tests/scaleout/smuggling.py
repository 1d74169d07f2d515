"""Request smuggling probes (ASVS V4.2.1): requests whose length two HTTP parsers could
read differently, each hiding a second request in what one of them takes for the body.

Every probe carries a token in the hidden request's path, so a test can look for it in
the access logs of the servers behind.
"""

from __future__ import annotations

import socket
import ssl
from pathlib import Path

HIDDEN = b"GET /smuggled-{token}/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


def _probe(headers: bytes, body: bytes) -> bytes:
    start = b"POST /outer-{token}/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    return start + headers + b"\r\n" + body


CHUNKED_THEN_HIDDEN = b"0\r\n\r\n" + HIDDEN
# name -> the probe; each is refused whole by a parser that frames HTTP/1.1 strictly
AMBIGUOUS: dict[str, bytes] = {
    "Content-Length and chunked": _probe(
        b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n", CHUNKED_THEN_HIDDEN
    ),
    "chunked and Content-Length": _probe(
        b"Transfer-Encoding: chunked\r\nContent-Length: 60\r\n", CHUNKED_THEN_HIDDEN
    ),
    "two Content-Lengths": _probe(b"Content-Length: 0\r\nContent-Length: 52\r\n", HIDDEN),
    "xchunked": _probe(
        b"Content-Length: 5\r\nTransfer-Encoding: xchunked\r\n", CHUNKED_THEN_HIDDEN
    ),
    "a space before the colon": _probe(
        b"Content-Length: 5\r\nTransfer-Encoding : chunked\r\n", CHUNKED_THEN_HIDDEN
    ),
    "tabs around chunked": _probe(
        b"Content-Length: 5\r\nTransfer-Encoding:\tchunked\t\r\n", CHUNKED_THEN_HIDDEN
    ),
    "chunked, then identity": _probe(
        b"Transfer-Encoding: chunked, identity\r\n", CHUNKED_THEN_HIDDEN
    ),
    "an obsolete folded header": _probe(
        b"Content-Length: 5\r\nX-Note: a\r\n Transfer-Encoding: chunked\r\n", CHUNKED_THEN_HIDDEN
    ),
}
# Unambiguous: a chunked body, then a second request on the same connection (pipelining)
PIPELINED = _probe(b"Transfer-Encoding: chunked\r\n", CHUNKED_THEN_HIDDEN)


def send(
    port: int, raw: bytes, token: str, ca: Path | None = None, name: str = "127.0.0.1"
) -> list[int]:
    """Send `raw` (its {token} filled in) on one connection, over TLS to `name` when `ca`
    is given; the status of each response read until the server hangs up."""
    sock: socket.socket = socket.create_connection(("127.0.0.1", port), timeout=10)
    if ca is not None:
        context = ssl.create_default_context(cafile=str(ca))
        sock = context.wrap_socket(sock, server_hostname=name)
    received = b""
    with sock:
        sock.sendall(raw.replace(b"{token}", token.encode()))
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except TimeoutError:
            pass
    return [int(line.split()[1]) for line in received.split(b"\r\n") if line.startswith(b"HTTP/1.")]
