"""`boundaries screen`: check draft posts against the policy from the command line.

Runs without Django or a database: it reads a context JSON file (the school's names,
working hours and domains) and calls the framework-free post checker. Bad input stops
with one line on stderr naming the file, line and problem, and a non-zero exit.
"""

import json
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from engines.postcheck import AUDIENCES, Context, PostcheckError, Verdict

BATCH = 1000
DEFAULT_CONTEXT: dict[str, object] = {
    "organisation": {"name": "the school"},
    "working_hours": None,
    "people": [],
}

app = typer.Typer(help="Check a draft post or message against the staff social media policy.")


class InputError(Exception):
    """A problem with the user's input, already phrased as the one line to print."""


@app.command()
def screen(
    text: Annotated[str | None, typer.Argument(help="The draft post or message.")] = None,
    context: Annotated[
        Path | None, typer.Option("--context", help="Context JSON: people, hours, domains.")
    ] = None,
    audience: Annotated[
        str, typer.Option("--audience", help=f"Who will see it: {', '.join(AUDIENCES)}.")
    ] = "public",
    at: Annotated[
        str | None, typer.Option("--at", help="When it would be posted (ISO 8601).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the verdict as JSON.")] = False,
    jsonl: Annotated[
        str | None,
        typer.Option("--jsonl", help="Read {id,text,audience,posted_at} lines from a file or -."),
    ] = None,
    scores: Annotated[bool, typer.Option("--scores", help="Add the model's scores.")] = False,
) -> None:
    """Print what in TEXT the policy warns against, with the clause and a safer wording."""
    try:
        ctx = _load_context(context)
        if jsonl is not None:
            _screen_lines(jsonl, ctx, scores)
            return
        if text is None:
            raise InputError("give the TEXT to check, or --jsonl FILE")
        if audience not in AUDIENCES:
            raise InputError(f"--audience: {audience!r} is not one of {', '.join(AUDIENCES)}")
        from engines.postcheck import check  # the model loads only when a post is checked

        verdict = check(text, audience=audience, at=_time(at, "--at"), context=ctx, scores=scores)
    except InputError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(verdict.to_json(), ensure_ascii=False))
    else:
        _print_for_people(verdict)


def _load_context(path: Path | None) -> Context:
    if path is None:
        return Context.from_dict(DEFAULT_CONTEXT)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"{path}: cannot read the context file ({error.strerror})") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: the context is not valid JSON ({error})") from error
    try:
        return Context.from_dict(data)
    except PostcheckError as error:
        raise InputError(f"{path}: {error}") from error


def _time(value: object, where: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{where}: expected an ISO 8601 time as a string")
    try:
        return datetime.fromisoformat(value)
    except ValueError as error:
        raise InputError(f"{where}: {value!r} is not an ISO 8601 time") from error


def _screen_lines(source: str, context: Context, scores: bool) -> None:
    if source == "-":
        _screen_stream(sys.stdin, "<stdin>", context, scores)
        return
    with _open(source) as stream:
        _screen_stream(stream, source, context, scores)


def _screen_stream(stream: IO[str], name: str, context: Context, scores: bool) -> None:
    """Check in batches so the model scores many lines at once and memory stays flat."""
    batch: list[tuple[Any, str, str, datetime | None]] = []
    for item in _items(stream, name):
        batch.append(item)
        if len(batch) >= BATCH:
            _write(batch, context, scores)
            batch = []
    _write(batch, context, scores)


def _open(path: str) -> IO[str]:
    try:
        return Path(path).open(encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from error


def _items(stream: IO[str], name: str) -> Iterator[tuple[Any, str, str, datetime | None]]:
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(f"{where}: not valid JSON ({error.msg})") from error
        if not isinstance(row, dict):
            raise InputError(f"{where}: expected a JSON object")
        text, audience = row.get("text"), row.get("audience", "public")
        if not isinstance(text, str):
            raise InputError(f"{where}: text: expected a string")
        if audience not in AUDIENCES:
            raise InputError(
                f"{where}: audience: {audience!r} is not one of {', '.join(AUDIENCES)}"
            )
        yield row.get("id"), text, audience, _time(row.get("posted_at"), f"{where}: posted_at")


def _write(
    batch: list[tuple[Any, str, str, datetime | None]], context: Context, scores: bool
) -> None:
    from engines.postcheck import check_many

    verdicts = check_many(((t, a, at) for _, t, a, at in batch), context, scores=scores)
    for (item_id, *_), verdict in zip(batch, verdicts, strict=True):
        typer.echo(json.dumps({"id": item_id, **verdict.to_json()}, ensure_ascii=False))


def _print_for_people(verdict: Verdict) -> None:
    from rich.console import Console  # rich loads when findings are printed, not on start-up
    from rich.markup import escape

    console = Console(highlight=False, soft_wrap=True)
    colour = {"ok": "green", "caution": "yellow", "stop": "red"}[verdict.verdict]
    console.print(f"[bold {colour}]{verdict.verdict.upper()}[/]")
    if not verdict.findings:
        console.print("Nothing in this draft goes against the policy.")
    for finding in verdict.findings:
        words = verdict.text[finding.start : finding.end]
        console.print(f"\n[bold]Clause {finding.clause}[/] ({finding.severity}, {finding.code})")
        if words:
            console.print(f"  Words: \u201c{escape(words)}\u201d")
        console.print(f"  {escape(finding.message)}")
        console.print(f"  Instead: {escape(finding.suggestion)}")
