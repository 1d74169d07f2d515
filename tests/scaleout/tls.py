"""TLS handshakes with nginx as a browser would make them, and as an old or careless one
would (ASVS V12.1.1, V12.1.2): Python's `ssl`, told to offer exactly one protocol version
or one set of cipher suites, with OpenSSL's own floor lowered so that the client really
offers what it is asked to and only the server can refuse it.
"""

from __future__ import annotations

import socket
import ssl
import warnings
from dataclasses import dataclass
from pathlib import Path

OLD_VERSIONS = {"TLS 1.0": "TLSv1", "TLS 1.1": "TLSv1_1"}
# TLS 1.2 suites our certificate (ECDSA) could use but no recommended list holds: CBC with
# SHA-1 or SHA-2 MACs, all forward secret, so only the server's list can refuse them
WEAK_SUITES = {
    "CBC with SHA-1, AES-128": "ECDHE-ECDSA-AES128-SHA",
    "CBC with SHA-1, AES-256": "ECDHE-ECDSA-AES256-SHA",
    "CBC with SHA-256": "ECDHE-ECDSA-AES128-SHA256",
    "CBC with SHA-384": "ECDHE-ECDSA-AES256-SHA384",
}
AEAD = ("GCM", "CHACHA20")  # in suite names of either version: AES-GCM or ChaCha20-Poly1305
# What OpenSSL reports when the server, not the client, ends the handshake
SERVER_REFUSALS = {"TLSV1_ALERT_PROTOCOL_VERSION", "SSLV3_ALERT_HANDSHAKE_FAILURE"}


@dataclass(frozen=True)
class Handshake:
    version: str
    cipher: str

    @property
    def aead(self) -> bool:
        return any(mode in self.cipher for mode in AEAD)


def context(ca: Path, version: str | None = None, ciphers: str | None = None) -> ssl.SSLContext:
    """A client trusting `ca`; with `version`, offering that protocol version alone; with
    `ciphers`, offering those TLS 1.2 suites alone."""
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    tls.load_verify_locations(cafile=str(ca))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # naming TLS 1.0 and 1.1
        if version is not None:
            tls.minimum_version = tls.maximum_version = ssl.TLSVersion[version]
            tls.set_ciphers("ALL:@SECLEVEL=0")
        if ciphers is not None:
            tls.maximum_version = ssl.TLSVersion.TLSv1_2
            tls.set_ciphers(f"{ciphers}:@SECLEVEL=0")
    return tls


def handshake(port: int, tls: ssl.SSLContext) -> Handshake:
    """Shake hands with nginx on loopback; ssl.SSLError if either side refuses."""
    with (
        socket.create_connection(("127.0.0.1", port), timeout=10) as sock,
        tls.wrap_socket(sock, server_hostname="127.0.0.1") as conn,
    ):
        cipher = conn.cipher()
        assert cipher is not None
        return Handshake(str(conn.version()), cipher[0])


def refusal(port: int, tls: ssl.SSLContext) -> str:
    """Why the server refused the handshake (OpenSSL's reason); fails if it was accepted."""
    try:
        made = handshake(port, tls)
    except ssl.SSLError as error:
        return str(error.reason)
    raise AssertionError(f"the server accepted {made}")


def read_all(sock: socket.socket) -> bytes:
    """What the other end sent until it closed; a reset or a TLS alert ends it the same way."""
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except (ConnectionError, TimeoutError, ssl.SSLError):
        pass
    return received
