"""`boundaries audit verify` and `boundaries audit head`."""

from __future__ import annotations

import typer

audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def verify(
    head: str = typer.Option(
        "",
        "--head",
        help="A line `boundaries audit head` printed earlier: the chain must still hold it.",
    ),
) -> None:
    """Check the audit chain: prints "intact" or the first broken link."""
    from boundaries.cli import django_setup

    django_setup()
    from boundaries.core.audit import Head
    from boundaries.core.audit import verify as verify_chain

    try:
        kept = Head.parse(head) if head else None
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--head") from None
    report = verify_chain(kept)
    if report.intact:
        typer.echo(f"intact ({report.checked} events)")
        return
    typer.echo(str(report), err=True)
    raise typer.Exit(1)


@audit_app.command("head")
def head() -> None:
    """Print the chain's last event as one line, `audit-head seq=N hash=H`, to keep on
    another system; `audit verify --head` checks the chain against it later."""
    from boundaries.cli import django_setup

    django_setup()
    from boundaries.core.audit import head as chain_head

    typer.echo(str(chain_head()))
