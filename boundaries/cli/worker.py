"""`boundaries worker`: runs the scheduled jobs in place of cron lines; run one or several."""

from __future__ import annotations

import signal
import threading
from types import FrameType

import typer


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)


def worker(
    once: bool = typer.Option(False, "--once", help="Run what is due now, then exit."),
    list_jobs: bool = typer.Option(False, "--list", help="Show the schedule and the last runs."),
    poll_seconds: float = typer.Option(
        60.0, "--poll-seconds", min=0.1, help="Longest sleep between looks at the schedule."
    ),
) -> None:
    """Run the scheduled jobs (reminders hourly, purges daily), each once per slot however
    many workers share the database. Stops cleanly on SIGTERM or Ctrl+C."""
    from boundaries.cli import django_setup

    django_setup()
    from boundaries.scheduling.actions import worker_name
    from boundaries.scheduling.worker import RunReport, run_due, run_forever

    if list_jobs:
        _list()
        return
    name = worker_name()
    if once:
        from django.utils import timezone

        failed = 0
        for report in run_due(timezone.now(), worker=name):
            typer.echo(report.line())
            failed += report.outcome == "failed"
        raise typer.Exit(1 if failed else 0)

    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)

    def echo(report: RunReport) -> None:
        typer.echo(report.line())

    typer.echo(f"Worker {name} started.")
    run_forever(worker=name, stop=stop, report=echo, poll_seconds=poll_seconds)
    typer.echo(f"Worker {name} stopped.")


def _list() -> None:
    from django.utils import timezone

    from boundaries.scheduling.models import ScheduledRun
    from boundaries.scheduling.schedule import JOBS, describe_every

    now = timezone.now()
    for job in JOBS:
        typer.echo(f"{job.name:<26} {describe_every(job.every):<7} {job.description}")
        typer.echo(f"{'':<26} same as: {job.command}")
        last = ScheduledRun.objects.filter(job=job.name).first()
        if last is not None:
            when = timezone.localtime(last.started_at).strftime("%Y-%m-%d %H:%M")
            typer.echo(f"{'':<26} last run: {when} by {last.worker}, {last.outcome}")
        current = job.slot(now)
        if ScheduledRun.objects.filter(job=job.name, slot=current).exists():
            nxt = timezone.localtime(current + job.every).strftime("%Y-%m-%d %H:%M")
            typer.echo(f"{'':<26} next run: {nxt}")
        else:
            typer.echo(f"{'':<26} next run: due now")
