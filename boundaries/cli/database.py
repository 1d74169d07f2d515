"""`boundaries database grants ROLE`: the privileges of the role the application runs as."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="The database: the least-privileged role the application runs as.",
    no_args_is_help=True,
)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="database")


@app.command("grants")
def grants(
    role: str = typer.Argument(..., help="The PostgreSQL role the application connects as."),
    apply: bool = typer.Option(
        False, "--apply", help="Run the statements now, as the owning role, and audit it."
    ),
) -> None:
    """Print the GRANT statements that let ROLE read and write rows but change no schema.

    Run them (or --apply) as the role that owns the tables, after every `boundaries migrate`:
    they revoke first, so the role ends with exactly these privileges.
    """
    from boundaries.cli import django_setup
    from boundaries.cli.errors import CliError

    django_setup()
    from boundaries.security.database_role import RoleError, grant, statements

    try:
        if not apply:
            typer.echo("\n".join(statements(role)))
            return
        tables = grant(role)
    except RoleError as error:
        raise CliError(str(error)) from None
    typer.echo(f"{role} may read and write the rows of {tables} tables and change no schema.")
