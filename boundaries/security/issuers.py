"""Which addresses the server may fetch for a sign-in provider (ASVS V1.3.6, V13.2.4).

A provider's issuer is an address a headteacher types, and the server fetches it and the
addresses its discovery document names (signing keys, token endpoint). So each is checked
before it is fetched, when the provider is saved and again at every sign-in:

- `https://` only. Plain `http://` only to a loopback address, and only with DEBUG on or
  OIDC_ALLOW_LOOPBACK_HTTP (a setting, never an environment variable: the tests' provider
  runs on loopback).
- no host that resolves to a private, loopback, link-local or otherwise non-public address,
  unless it is listed in OIDC_PRIVATE_ISSUER_HOSTS (an on-premises identity provider); a
  loopback one is also allowed when plain http on loopback is.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


class UnsafeAddress(ValueError):
    """An address the server will not fetch; the message is for the person who typed it."""


def resolve(host: str, port: int) -> list[str]:
    """The IP addresses `host` resolves to (an IP literal is its own)."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def loopback_http_allowed() -> bool:
    return bool(settings.DEBUG or getattr(settings, "OIDC_ALLOW_LOOPBACK_HTTP", False))


def _address(text: str) -> Address:
    address = ipaddress.ip_address(text.split("%", 1)[0])  # without an IPv6 zone
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _kind(address: Address) -> str | None:
    """What makes the address one the server does not reach, or None when it is public."""
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_private:
        return "private"
    if not address.is_global:
        return "reserved"
    return None


def check_url(url: str, *, resolver: Resolver | None = None) -> None:
    """Nothing when the server may fetch `url` for a sign-in provider; otherwise
    UnsafeAddress saying why, in words for the person who typed it."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in {"https", "http"} or not host:
        raise UnsafeAddress(f"Enter an address starting https://, not {url[:200]!r}")
    if parts.username is not None or parts.password is not None:
        raise UnsafeAddress("Enter the address without a user name or password in it")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeAddress(f"{url[:200]} has a port that is not a number") from None
    listed = host in {h.strip().lower() for h in settings.OIDC_PRIVATE_ISSUER_HOSTS}
    try:
        found = [_address(a) for a in (resolver or resolve)(host, port)]
    except (OSError, UnicodeError, ValueError):
        raise UnsafeAddress(
            f"No address was found for {host}: check the spelling of the address"
        ) from None
    if not found:
        raise UnsafeAddress(f"No address was found for {host}: check the spelling")
    kinds = {_kind(a) for a in found}
    loopback_only = kinds == {"loopback"}
    if parts.scheme == "http" and not (loopback_only and loopback_http_allowed()):
        raise UnsafeAddress(f"Enter the address starting https://, not http:// ({host})")
    if kinds == {None} or listed or (loopback_only and loopback_http_allowed()):
        return
    bad = next(a for a in found if _kind(a) is not None)
    raise UnsafeAddress(
        f"{host} is on a {_kind(bad)} network ({bad}), which Boundaries does not reach: "
        "enter the sign-in service's public address, or ask whoever runs Boundaries to "
        "list this host in OIDC_PRIVATE_ISSUER_HOSTS"
    )
