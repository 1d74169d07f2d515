"""The one shape of address our settings give a local service by: a socket path, or
host:port (`LOG_SYSLOG_ADDRESS`, `CLAMD_ADDRESS`)."""

from __future__ import annotations


def parse(value: str) -> str | tuple[str, int] | None:
    """A path when `value` starts with /, else (host, port) with an IPv6 host's brackets
    taken off; None when it is neither, for the caller to say which setting is wrong."""
    if value.startswith("/"):
        return value
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        return None
    return host.strip("[]"), int(port)
