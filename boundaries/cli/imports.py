"""`boundaries import staff|roster|carers FILE --school SLUG`: MIS exports, all or nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from boundaries.cli.errors import CliError, first_line
from boundaries.roster.plans import ImportPlan

import_app = typer.Typer(
    help="Import staff, pupils and carers from a CSV export of the school's MIS.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")


FILE = typer.Argument(..., help="A CSV export (comma, semicolon, tab or pipe separated).")
SCHOOL = typer.Option(..., "--school", help="The school's short name (slug).")
PRESET = typer.Option("generic", help="Column names of: sims, arbor, bromcom or generic.")
COLUMNS = typer.Option("", help="Name columns yourself: field=Header,field=Header.")
DRY_RUN = typer.Option(False, "--dry-run", help="Show what would change; save nothing.")
YES = typer.Option(False, "--yes", help="Save without asking.")
PARTIAL = typer.Option(
    False, "--partial", help="The file is not the full list: mark nobody missing as a leaver."
)
ACTOR = typer.Option("", "--as", help="Username to record as the importer.")
PROGRESS = typer.Option(
    None,
    "--progress/--no-progress",
    help="Name each step on standard error (default: when it is a terminal).",
)

# What the person at the terminal reads as each phase of an import starts.
PHASES = {
    "parse": "reading the file",
    "plan": "comparing with the records held",
    "write": "writing",
    "commit": "committing",
}


@import_app.command("staff")
def staff(
    file: Path = FILE,
    school: str = SCHOOL,
    preset: str = PRESET,
    columns: str = COLUMNS,
    dry_run: bool = DRY_RUN,
    yes: bool = YES,
    partial: bool = PARTIAL,
    actor: str = ACTOR,
    progress: bool | None = PROGRESS,
) -> None:
    """Staff list: matched on MIS id, then work email; missing staff become leavers."""
    _run("staff", file, school, preset, columns, dry_run, yes, partial, actor, progress)


@import_app.command("roster")
def roster(
    file: Path = FILE,
    school: str = SCHOOL,
    preset: str = PRESET,
    columns: str = COLUMNS,
    dry_run: bool = DRY_RUN,
    yes: bool = YES,
    partial: bool = PARTIAL,
    actor: str = ACTOR,
    progress: bool | None = PROGRESS,
) -> None:
    """Pupil roster: name, preferred name, date of birth, year group, leaving date."""
    _run("pupils", file, school, preset, columns, dry_run, yes, partial, actor, progress)


@import_app.command("carers")
def carers(
    file: Path = FILE,
    school: str = SCHOOL,
    preset: str = PRESET,
    columns: str = COLUMNS,
    dry_run: bool = DRY_RUN,
    yes: bool = YES,
    actor: str = ACTOR,
    progress: bool | None = PROGRESS,
) -> None:
    """Parents and carers with their linked pupils' MIS ids (separated by ; or |)."""
    _run("carers", file, school, preset, columns, dry_run, yes, True, actor, progress)


def _run(
    kind: str,
    file: Path,
    school: str,
    preset: str,
    columns: str,
    dry_run: bool,
    yes: bool,
    partial: bool,
    actor: str,
    progress: bool | None,
) -> None:
    from boundaries.cli import django_setup

    django_setup()
    from django.db import DatabaseError, IntegrityError

    from boundaries.core.models import Organisation, User
    from boundaries.roster.actions import ImportRefused, import_file
    from boundaries.roster.columns import ColumnError, parse_columns_option

    organisation = Organisation.objects.filter(slug=school).first()
    if organisation is None:
        raise CliError(f"no organisation called {school!r}")
    person = None
    if actor:
        person = User.objects.filter(username=actor).first()
        if person is None:
            raise CliError(f"no account called {actor!r}")
    try:
        data = file.read_bytes()
        mapping = parse_columns_option(columns)
    except OSError as error:
        raise CliError(f"{file}: {error.strerror or error}") from None
    except ColumnError as error:
        raise CliError(str(error)) from None

    shown = sys.stderr.isatty() if progress is None else progress

    def told(phase: str) -> None:
        if shown:
            typer.echo(f"{file.name}: {PHASES[phase]}…", err=True)

    def attempt(dry: bool) -> ImportPlan:
        try:
            return import_file(
                organisation,
                kind,
                data,
                filename=file.name,
                preset=preset,
                columns=mapping,
                full=not partial,
                dry_run=dry,
                actor=person,
                progress=told,
            )
        except ImportRefused as error:
            raise CliError(f"{file.name}: {error}") from None
        except IntegrityError as error:
            raise CliError(
                f"{file.name}: another import saved some of these records first "
                f"({first_line(error)}); nothing of this one was saved: run it again to see "
                "what is left to change"
            ) from None
        except DatabaseError as error:
            raise CliError(
                f"{file.name}: the database failed during the import ({first_line(error)}); "
                "an import is saved whole or not at all, so run the same command again"
            ) from None

    if yes and not dry_run:
        # Nobody reads a dry run before saving: plan and save in one pass, one transaction.
        plan = attempt(False)
        _print(plan)
        if not plan.ok:
            raise CliError(f"{len(plan.errors)} bad rows; nothing was saved")
        if plan.changes_anything:
            typer.echo(f"Saved: {plan.describe()}.")
        return
    plan = attempt(True)
    _print(plan)
    if not plan.ok:
        raise CliError(f"{len(plan.errors)} bad rows; nothing was saved")
    if dry_run or not plan.changes_anything:
        return
    if not typer.confirm(f"Save these changes to {organisation.name}?"):
        raise typer.Exit(1)
    plan = attempt(False)
    if not plan.ok:
        _print(plan)
        raise CliError("the data changed since the dry run and now has bad rows; nothing saved")
    typer.echo(f"Saved: {plan.describe()}.")


def _print(plan: ImportPlan) -> None:
    summary = plan.summary()
    typer.echo(f"{summary['filename']} (sha256 {summary['sha256'][:12]}…): {plan.describe()}")
    for name in summary["added_names"][:20]:
        typer.echo(f"  + {name}")
    for change in summary["changed_names"][:20]:
        typer.echo(f"  ~ {change['name']}: {', '.join(change['fields'])}")
    for name in summary["leaver_names"][:20]:
        typer.echo(f"  - {name} (marked as leaver)")
    for error in summary["error_lines"]:
        typer.echo(f"line {error['line']}: {error['reason']}", err=True)
