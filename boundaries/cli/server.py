"""`boundaries serve` and `boundaries migrate`."""

from __future__ import annotations

import gc
import ssl
from pathlib import Path
from typing import Any

import typer

# The application servers' own TLS, for the hop from the proxy: forward-secret AEAD only.
SERVE_TLS_CIPHERS = "ECDHE+AESGCM:ECDHE+CHACHA20"


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("migrate")(migrate)


def migrate() -> None:
    """Create or update the database tables."""
    from django.core.management import call_command

    from boundaries.cli import django_setup

    django_setup()
    from django.conf import settings

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    typer.echo("Database is up to date.")


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(2, help="Worker processes."),
    tls_certfile: Path | None = typer.Option(
        None, exists=True, dir_okay=False, help="Serve https with this certificate (PEM)."
    ),
    tls_keyfile: Path | None = typer.Option(
        None, exists=True, dir_okay=False, help="The certificate's private key (PEM)."
    ),
) -> None:
    """Serve the application with gunicorn (static files served by the app); over https
    when given a certificate and key, so that the proxy's hop to it is encrypted too."""
    if (tls_certfile is None) != (tls_keyfile is None):
        raise typer.BadParameter("give both --tls-certfile and --tls-keyfile, or neither")
    from gunicorn.app.base import BaseApplication

    from boundaries.cli import django_setup

    django_setup()
    from django.core.management import call_command

    call_command("check")  # refuse to start on a system check's error (a bad setting)
    call_command("collectstatic", interactive=False, verbosity=0)
    from boundaries.wsgi import application

    _banner("https" if tls_certfile else "http", host, port)
    # The banner and collectstatic ran queries here, in the process gunicorn forks: close
    # the connection, or every worker inherits the same socket and their answers interleave
    # (wrong rows, "session data corrupted", server errors under load on PostgreSQL).
    from django.db import connections

    connections.close_all()
    # What loading the application made lives as long as the server: frozen, it is left
    # out of every garbage collection in the workers (each walked it again, 1 to 3 % of a
    # page's CPU), and its memory stays shared with the master instead of being copied.
    gc.collect()
    gc.freeze()

    class Server(BaseApplication):
        def load_config(self) -> None:
            config: dict[str, Any] = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "accesslog": "-",
                "timeout": 60,
            }
            if tls_certfile and tls_keyfile:
                config |= {
                    "certfile": str(tls_certfile),
                    "keyfile": str(tls_keyfile),
                    "ciphers": SERVE_TLS_CIPHERS,
                    "ssl_context": _tls_context,
                }
            for key, value in config.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    Server().run()


def _tls_context(config: Any, default_context: Any) -> ssl.SSLContext:
    """gunicorn's context, held to TLS 1.2 at least whatever the system's OpenSSL allows."""
    context: ssl.SSLContext = default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _banner(scheme: str, host: str, port: int) -> None:
    from boundaries.core.models import User
    from boundaries.demo import ACCOUNTS, DEMO_PASSWORD

    typer.echo(f"\nBoundaries is running: open {scheme}://{host}:{port}/ in your browser.")
    demo = [a for a in ACCOUNTS if User.objects.filter(username=a.username).exists()]
    if demo:
        typer.echo(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for account in demo:
            roles = ", ".join(
                str(r.label) if hasattr(r, "label") else str(r) for r in account.roles
            )
            typer.echo(f"  {account.username:<20} {roles} at {account.org}")
    typer.echo("Press Ctrl+C to stop.\n")
