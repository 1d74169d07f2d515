"""`boundaries retention rules|purge`: the retention rules, and the purge a timer runs."""

from __future__ import annotations

import typer

from boundaries.cli.today import TODAY, today_from

app = typer.Typer(
    help="How long records are kept, and the purge that obeys it.", no_args_is_help=True
)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="retention")


@app.command("rules")
def rules() -> None:
    """List every retention rule with its period and source."""
    from boundaries.cli import django_setup

    django_setup()
    from boundaries.core.retention import load_rules

    for rule in load_rules().rules:
        action = "purged" if rule.purge else "not purged automatically"
        typer.echo(f"{rule.model}: {rule.record} — {rule.period()} ({action})")
        typer.echo(f"    source: {rule.source}")


@app.command("purge")
def purge(
    dry_run: bool = typer.Option(False, "--dry-run", help="Count what would go; delete nothing."),
    today: str = TODAY,
) -> None:
    """Delete records whose retention period has ended, leaving a tombstone audit event each."""
    from boundaries.cli import django_setup
    from boundaries.cli.errors import CliError

    django_setup()
    from boundaries.core.retention import RetentionError
    from boundaries.core.retention import purge as run_purge

    day = today_from(today)
    try:
        report = run_purge(day, dry_run=dry_run)
    except RetentionError as error:
        raise CliError(str(error)) from None
    for run in report.runs:
        line = f"{run.rule.model} ({run.rule.record}): {run.expired} expired"
        if not dry_run:
            line += f", {run.purged} purged"
        if run.kept_referenced:
            line += f", {run.kept_referenced} kept because other records depend on them"
        if run.needs_date:
            line += f", {run.needs_date} kept until {run.rule.longer_of} is recorded"
        typer.echo(line)
    verb = "would be purged" if dry_run else "purged"
    typer.echo(f"{report.expired if dry_run else report.purged} records {verb}.")
