"""Deployment checks (`manage.py check --deploy`): connections that leave the machine are
encrypted (ASVS V12.3.1). Email to an SMTP relay uses STARTTLS or implicit TLS, and a
PostgreSQL server on another host is asked for TLS, unless the relay or server is on
loopback (the traffic then never leaves the machine). docs/configuration.md and
docs/deployment.md say the same."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

SMTP = "django.core.mail.backends.smtp.EmailBackend"
POSTGRESQL = "django.db.backends.postgresql"
STRONG_SSLMODES = ("require", "verify-ca", "verify-full")


def on_loopback(host: str) -> bool:
    """Whether `host` names this machine (a name is not resolved: only `localhost`)."""
    host = host.strip().strip("[]").lower()
    if host in {"localhost", "localhost.localdomain"} or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@register(Tags.security, deploy=True)
def email_uses_tls(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    for name, mailer in getattr(settings, "MAILERS", {}).items():
        if mailer.get("BACKEND") != SMTP:
            continue
        options = mailer.get("OPTIONS", {})
        host = str(options.get("host", "localhost"))
        tls, ssl = bool(options.get("use_tls")), bool(options.get("use_ssl"))
        if tls and ssl:
            problems.append(
                Error(
                    "EMAIL_USE_TLS and EMAIL_USE_SSL are both on: choose one",
                    hint="EMAIL_USE_TLS=true for STARTTLS (port 587), or EMAIL_USE_SSL=true "
                    "for implicit TLS (port 465).",
                    id="boundaries.E101",
                )
            )
        elif not (tls or ssl or on_loopback(host)):
            problems.append(
                Error(
                    f"Email ({name}) goes to the SMTP relay {host} without TLS: names and "
                    "links in reminders would cross the network in clear",
                    hint="Set EMAIL_USE_TLS=true (STARTTLS, usually port 587) or "
                    "EMAIL_USE_SSL=true (implicit TLS, usually port 465); only a relay on "
                    "loopback may go without.",
                    id="boundaries.E102",
                )
            )
    return problems


@register(Tags.security, deploy=True)
def database_uses_tls(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    for alias, database in settings.DATABASES.items():
        if database.get("ENGINE") != POSTGRESQL:
            continue
        host = str(database.get("HOST") or "")
        if not host or host.startswith("/") or on_loopback(host):
            continue  # a Unix socket or loopback: the connection stays on this machine
        mode = str(database.get("OPTIONS", {}).get("sslmode", ""))
        if mode not in STRONG_SSLMODES:
            problems.append(
                Error(
                    f"The database ({alias}) at {host} is not asked for TLS "
                    f"(sslmode={mode or 'unset, which lets the connection fall back to clear'})",
                    hint="Add ?sslmode=verify-full (or require, or verify-ca) to DATABASE_URL, "
                    "for example postgres://boundaries@db.internal:5432/boundaries?"
                    "sslmode=verify-full.",
                    id="boundaries.E103",
                )
            )
    return problems
