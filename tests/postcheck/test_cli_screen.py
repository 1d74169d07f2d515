"""`boundaries screen` through its real interface (Typer's runner), with no Django."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from boundaries.cli.screen import app, screen
from tests.postcheck.suite import CONTEXT_FILE

CTX = ["--context", str(CONTEXT_FILE)]


def run(args: list[str], stdin: str | None = None) -> typer.testing.Result:
    return CliRunner().invoke(app, args, input=stdin)


def test_prints_findings_for_people() -> None:
    result = run(
        [*CTX, "--audience", "staff_group", "--at", "2025-03-08T19:00:00", "Jayden's EHCP is in"]
    )
    assert result.exit_code == 0
    assert "STOP" in result.stdout
    assert "Clause 5" in result.stdout
    assert "Jayden's EHCP" in result.stdout


def test_prints_ok_when_nothing_is_found() -> None:
    result = run([*CTX, "--audience", "friends", "This cold is killing me"])
    assert result.exit_code == 0
    assert result.stdout.startswith("OK")


def test_json_output() -> None:
    result = run([*CTX, "--json", "--audience", "parent", "Ring me on 07700 900123"])
    data = json.loads(result.stdout)
    assert data["verdict"] == "stop"
    assert {f["clause"] for f in data["findings"]} == {"4.1(iv)", "5"}
    assert any(f["words"] == "07700 900123" for f in data["findings"])


def test_jsonl_reads_a_file_and_writes_a_line_each(tmp_path: Path) -> None:
    lines = [
        {
            "id": "a",
            "text": "Some of these parents shouldn't be allowed to breed",
            "audience": "public",
        },
        {
            "id": 2,
            "text": "Lovely walk",
            "audience": "friends",
            "posted_at": "2025-03-08T10:00:00Z",
        },
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    result = run([*CTX, "--jsonl", str(source), "--scores"])
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(o["id"], o["verdict"]) for o in out] == [("a", "stop"), (2, "ok")]
    assert all(0 <= o["scores"]["offensive"] <= 1 for o in out)


def test_jsonl_reads_stdin() -> None:
    line = json.dumps({"id": "x", "text": "Send me a selfie", "audience": "pupil"})
    result = run([*CTX, "--jsonl", "-"], stdin=line + "\n")
    assert json.loads(result.stdout) == {**json.loads(result.stdout), "id": "x", "verdict": "stop"}
    assert "scores" not in json.loads(result.stdout)


BAD = [
    (["--context", "missing.json", "hi"], "missing.json: cannot read the context file"),
    ([*CTX, "--audience", "everyone", "hi"], "--audience: 'everyone' is not one of"),
    ([*CTX, "--at", "yesterday", "hi"], "--at: 'yesterday' is not an ISO 8601 time"),
    ([*CTX], "give the TEXT to check"),
]


@pytest.mark.parametrize(("args", "message"), BAD)
def test_bad_input_is_one_clear_line_and_a_non_zero_exit(args: list[str], message: str) -> None:
    result = run(args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": 1, "text": "ok"}\n{"id": 2, "text": \n', "in.jsonl:2: not valid JSON"),
        ('{"id": 1, "text": "hi", "audience": "world"}\n', "in.jsonl:1: audience: 'world'"),
        ('{"id": 1, "text": 5}\n', "in.jsonl:1: text: expected a string"),
        ('{"id": 1, "text": "x", "posted_at": "soon"}\n', "in.jsonl:1: posted_at: 'soon'"),
    ],
)
def test_bad_jsonl_names_the_line(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "in.jsonl").write_text(content)
    result = run([*CTX, "--jsonl", str(tmp_path / "in.jsonl")])
    assert result.exit_code == 2
    assert message in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [("{", "not valid JSON"), ('{"organisation": {"name": ""}}', "organisation.name")],
)
def test_bad_context_names_the_file_and_field(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "ctx.json").write_text(content)
    result = run(["--context", str(tmp_path / "ctx.json"), "hi"])
    assert result.exit_code == 2
    assert "ctx.json: " in result.stderr
    assert message in result.stderr


def test_the_command_works_when_mounted_on_another_app() -> None:
    main_app = typer.Typer()
    main_app.command("screen")(screen)
    main_app.command("other")(lambda: None)
    result = CliRunner().invoke(main_app, ["screen", *CTX, "--json", "hello"])
    assert json.loads(result.stdout)["verdict"] == "ok"


def test_the_cli_does_not_import_django() -> None:
    code = "import sys, boundaries.cli.screen; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
