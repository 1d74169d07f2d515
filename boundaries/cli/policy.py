"""`boundaries policy import`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from boundaries.policies.structure import ClauseInput

if TYPE_CHECKING:
    from boundaries.policies.importing import ParsedImport

from boundaries.cli.errors import CliError

policy_app = typer.Typer(help="Policies and their versions.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(policy_app, name="policy")


def _outline(clauses: list[ClauseInput], depth: int = 0) -> list[str]:
    lines = []
    for clause in clauses:
        notes = "".join(f" [+{kind}]" for kind, _ in clause.notes)
        heading = f" {clause.heading}" if clause.heading else ""
        lines.append(f"{'  ' * depth}{clause.number}{heading}{notes}")
        lines.extend(_outline(clause.children, depth + 1))
    return lines


@policy_app.command("import")
def import_policy(
    file: Path = typer.Argument(..., help="A .txt, .md, .docx or .pdf policy document."),
    org: str = typer.Option("", "--org", help="The organisation's short name (slug)."),
    as_json: bool = typer.Option(False, "--json", help="Print the tree found; save nothing."),
    yes: bool = typer.Option(False, "--yes", help="Save without asking."),
    adopted_from: int = typer.Option(0, help="Id of the model version it was adopted from."),
    actor: str = typer.Option("", "--as", help="Username to record as the importer."),
) -> None:
    """Read a policy document into a clause tree and save it as a draft version."""
    from boundaries.cli import django_setup

    django_setup()
    from boundaries.policies.importing import ImportRefused, parse_upload

    try:
        data = file.read_bytes()
    except OSError as error:
        raise CliError(f"{file}: {error.strerror or error}") from None
    try:
        parsed = parse_upload(data, file.name)
    except ImportRefused as error:
        raise CliError(str(error)) from None
    if as_json:
        typer.echo(json.dumps(parsed.to_json(), indent=2, ensure_ascii=False))
        return
    if not org:
        raise CliError("say which organisation the policy belongs to with --org SLUG")
    _save(parsed, org, yes, adopted_from, actor)


def _save(parsed: ParsedImport, org: str, yes: bool, adopted_from: int, actor: str) -> None:
    from boundaries.core.models import Organisation, User
    from boundaries.policies.access import model_versions_for_school
    from boundaries.policies.importing import save_import

    organisation = Organisation.objects.filter(slug=org).first()
    if organisation is None:
        raise CliError(f"no organisation called {org!r}")
    person = None
    if actor:
        person = User.objects.filter(username=actor).first()
        if person is None:
            raise CliError(f"no account called {actor!r}")
    model = None
    if adopted_from:
        model = next(
            (m for m in model_versions_for_school(organisation) if m.pk == adopted_from), None
        )
        if model is None:
            raise CliError(f"{adopted_from} is not a published model version above {org}")
    typer.echo(f"{parsed.title} ({parsed.filename}): {parsed.clause_count()} clauses")
    for name, value in parsed.dates.items():
        typer.echo(f"  {name.replace('_', ' ')}: {value[0] if value else 'not found'}")
    typer.echo("\n".join(_outline(parsed.clauses)))
    if not yes and not typer.confirm(f"Save as a new draft version for {organisation.name}?"):
        raise typer.Exit(1)
    version = save_import(organisation, parsed, actor=person, adopted_from=model)
    typer.echo(f"Saved as draft version {version.number} (id {version.pk}) of {version.policy}.")
