"""Shared test fixtures: a real SMTP server on loopback for the email tests."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest


@dataclass
class Mailbox:
    host: str
    port: int
    messages: list[Message] = field(default_factory=list)
    # Recipients the server refuses (550), as a relay refuses an unknown address.
    refuse: set[str] = field(default_factory=set)
    # Called in a thread of its own while a message is being delivered, before it is
    # accepted; what it returns is kept in `during`.
    while_delivering: Callable[[], object] | None = None
    during: list[object] = field(default_factory=list)
    # Every address the server accepted in RCPT TO (the envelope, not the headers).
    recipients: set[str] = field(default_factory=set)

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address in m.get("To", "")]


class _Handler:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.lower() in self.box.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        self.box.recipients.add(address.lower())
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.box.while_delivering is not None:
            # A thread of its own: the event loop's thread may not use the database.
            with ThreadPoolExecutor(1) as pool:
                self.box.during.append(pool.submit(self.box.while_delivering).result())
        self.box.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Mailbox]:
    """A real aiosmtpd server on loopback, with Django's SMTP backend pointed at it."""
    from aiosmtpd.controller import Controller

    box = Mailbox("127.0.0.1", _free_port())
    controller = Controller(_Handler(box), hostname=box.host, port=box.port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": box.host, "port": box.port, "use_tls": False, "timeout": 10},
        }
    }
    try:
        yield box
    finally:
        controller.stop()
