"""`boundaries audit verify`."""

from __future__ import annotations

import typer

audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def verify() -> None:
    """Check the audit chain: prints "intact" or the first broken link."""
    from boundaries.cli import django_setup

    django_setup()
    from boundaries.core.audit import verify as verify_chain

    report = verify_chain()
    if report.intact:
        typer.echo(f"intact ({report.checked} events)")
        return
    typer.echo(str(report), err=True)
    raise typer.Exit(1)
