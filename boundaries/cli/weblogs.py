"""`boundaries weblogs analyse`: web-filter logs to JSON lines, with no database.

The command's core is `run_analyse`, which the Django-side `--school` mode can call with
its own calendar, identities and output. Nothing here imports Django.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Annotated, TextIO

import typer

from engines.weblogs import (
    Analysis,
    Calendar,
    Identities,
    WeblogsError,
    WorkUse,
    analyse,
    load_catalogue,
)

app = typer.Typer(help="Working-hours social media use from web-filter logs (clause 4.1(i)).")


def run_analyse(
    files: list[Path],
    *,
    fmt: str,
    calendar: Calendar,
    identities: Identities,
    work_use: WorkUse | None = None,
    columns: str | None = None,
    progress: Callable[[int], None] | None = None,
    checksums: bool = True,
) -> Analysis:
    """Analyse with the packaged catalogue; raises WeblogsError on bad input."""
    return analyse(
        files,
        fmt=fmt,
        catalogue=load_catalogue(),
        identities=identities,
        calendar=calendar,
        work_use=work_use,
        columns=columns,
        progress=progress,
        checksums=checksums,
    )


def write_rows(analysis: Analysis, out: TextIO) -> None:
    out.write(analysis.json_lines())


def summary_lines(analysis: Analysis) -> list[str]:
    lines = [
        f"lines: {analysis.lines}, unparsed: {analysis.unparsed_lines}, "
        f"unmapped identities: {analysis.unmapped_lines} lines, "
        f"unmapped platforms: {analysis.unmapped_platform_lines} lines, "
        f"work use: {analysis.work_use_requests} requests"
    ]
    lines += [f"sha256 {s.sha256}  {s.path}" for s in analysis.sources if s.sha256]
    lines += [f"unparsed {u.source}:{u.line}: {u.text[:200]}" for u in analysis.unparsed_examples]
    lines += [f"unmapped {who}: {n} lines" for who, n in analysis.unmapped_identities]
    lines += [
        f"unmapped platform? {host}: {n} lines" for host, n in analysis.unmapped_platform_hosts
    ]
    return lines


def _load_inputs(
    calendar: Path, identities: Path, work_use: Path | None
) -> tuple[Calendar, Identities, WorkUse | None]:
    try:
        cal_text = calendar.read_text(encoding="utf-8")
    except OSError as exc:
        raise WeblogsError(f"{calendar}: cannot read calendar ({exc.strerror})") from exc
    cal = Calendar.from_json(cal_text)
    ids = Identities.from_csv(identities, timezone=cal.timezone)
    return cal, ids, WorkUse.from_csv(work_use) if work_use else None


@app.command("analyse")
def analyse_command(
    files: Annotated[list[Path], typer.Argument(help="Log files: plain, gzip or zstd.")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format", help="squid, combined, csv, smoothwall, lightspeed, securly, netsweeper"
        ),
    ] = "squid",
    calendar: Annotated[Path, typer.Option(help="Working-hours calendar (JSON).")] = Path(
        "calendar.json"
    ),
    identities: Annotated[
        Path, typer.Option(help="CSV: person, login and/or ip, valid_from, valid_to.")
    ] = Path("identities.csv"),
    work_use: Annotated[
        Path | None, typer.Option("--work-use", help="CSV: platform[, person] counted as work.")
    ] = None,
    columns: Annotated[
        str | None,
        typer.Option(
            help="CSV column mapping, e.g. time=Date,user=User,url=URL; also "
            "time_format=%d/%m/%Y %H:%M and denied=Blocked|Refused (docs/weblogs-formats.md)."
        ),
    ] = None,
    summary: Annotated[bool, typer.Option(help="Print only the summary, not the rows.")] = False,
    sha256: Annotated[
        bool,
        typer.Option(
            "--sha256",
            help="Also print each file's sha256 in the summary (as saved figures record it); "
            "hashing adds about a sixth to the CPU time.",
        ),
    ] = False,
    school: Annotated[
        str | None,
        typer.Option(
            "--school",
            help="Save aggregates for this school (slug) with its calendar, identities and "
            "work use from the database; --calendar, --identities and --work-use are not used.",
        ),
    ] = None,
    as_user: Annotated[
        str | None, typer.Option("--as", help="With --school: username recorded in the audit log.")
    ] = None,
) -> None:
    """Print one JSON line per person and working day, sorted by person then date."""
    err = sys.stderr
    if school is not None:
        _analyse_for_school(files, school=school, fmt=fmt, columns=columns, as_user=as_user)
        return
    try:
        cal, ids, work = _load_inputs(calendar, identities, work_use)
        run = partial(
            run_analyse,
            files,
            fmt=fmt,
            calendar=cal,
            identities=ids,
            work_use=work,
            columns=columns,
            checksums=sha256,
        )
        if err.isatty():
            from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

            total = sum(f.stat().st_size for f in files if f.exists())
            with Progress(
                BarColumn(), DownloadColumn(), TimeRemainingColumn(), transient=True
            ) as bar:
                task = bar.add_task("analysing", total=total)
                result = run(progress=lambda n: bar.advance(task, n))
        else:
            result = run()
    except WeblogsError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if not summary:
        write_rows(result, sys.stdout)
    for line in summary_lines(result):
        typer.echo(line, err=True)


def _analyse_for_school(
    files: list[Path], *, school: str, fmt: str, columns: str | None, as_user: str | None
) -> None:
    """Database mode: Django is set up here only, so the plain mode never imports it."""
    from boundaries.cli import django_setup
    from boundaries.cli.errors import CliError

    django_setup()
    from boundaries.webactivity.cli import run_for_school

    try:
        lines = run_for_school(
            files,
            school=school,
            fmt=fmt,
            columns=columns,
            as_user=as_user,
            show_progress=sys.stderr.isatty(),
        )
    except WeblogsError as exc:
        raise CliError(str(exc)) from exc
    for line in lines:
        typer.echo(line, err=True)


@app.command("purge")
def purge_command(
    school: Annotated[
        str | None, typer.Option("--school", help="One school (slug); default: every school.")
    ] = None,
    today: Annotated[
        str | None, typer.Option("--today", help="The date to count from (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Delete saved figures older than each school's retention period (run daily)."""
    from boundaries.cli import django_setup

    django_setup()
    from boundaries.webactivity.cli import run_purge

    for line in run_purge(school=school, today=today):
        typer.echo(line)


@app.callback()
def main() -> None:
    """Web-log analysis for clause 4.1(i)."""
