"""The `boundaries` command, run as a person runs it: a real process, real exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cast import POLICY_TREE

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seeds" / "000_7a7d71410483d133.txt"


def run(*args: str, tmp_path: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "BOUNDARIES_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    return subprocess.run(
        [sys.executable, "-m", "boundaries.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        check=False,
        timeout=120,
    )


def outline(clauses: list[dict]) -> list[str]:  # type: ignore[type-arg]
    return [n for c in clauses for n in [c["number"], *outline(c["children"])]]


@pytest.mark.skipif(
    not SEED.is_file(), reason="../shared is absent: the seed policy is not in a fresh clone"
)
def test_the_seed_imports_to_exactly_the_policy_tree(tmp_path: Path) -> None:
    result = run("policy", "import", str(SEED), "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    tree = json.loads(result.stdout)
    assert outline(tree["clauses"]) == POLICY_TREE
    four_one = tree["clauses"][3]["children"][0]
    notes = {c["number"]: c["notes"] for c in four_one["children"]}
    assert [n["kind"] for n in notes["4.1(iv)"]] == ["footnote"]
    assert notes["4.1(iv)"][0]["text"].startswith("In some cases employees")
    assert all(not v for k, v in notes.items() if k != "4.1(iv)")
    five = tree["clauses"][4]
    assert [n["kind"] for n in five["notes"]] == ["quotation"]
    assert "<p>" not in five["notes"][0]["text"]
    assert tree["dates"] == {
        "written": "2023-09",
        "ratified": "2023-11",
        "next_review": "2024-09",
        "adopted": "2023-09-01",
    }
    assert not list(tmp_path.glob("*.sqlite3")) or "core_" not in (
        tmp_path / "db.sqlite3"
    ).read_bytes().decode("latin-1")


def test_import_saves_a_draft_after_confirmation(tmp_path: Path) -> None:
    from tests.policies.test_pages import INVENTED_POLICY

    doc = tmp_path / "conduct.md"
    doc.write_text(INVENTED_POLICY)
    assert run("migrate", tmp_path=tmp_path).returncode == 0
    assert run("demo", tmp_path=tmp_path).returncode == 0
    declined = run(
        "policy", "import", str(doc), "--org", "brookside", tmp_path=tmp_path, stdin="n\n"
    )
    assert declined.returncode == 1
    saved = run(
        "policy",
        "import",
        str(doc),
        "--org",
        "brookside",
        "--yes",
        "--as",
        "head.brookside",
        tmp_path=tmp_path,
    )
    assert saved.returncode == 0, saved.stderr
    assert "Saved as draft version" in saved.stdout
    assert "2.2" in saved.stdout
    assert run("audit", "verify", tmp_path=tmp_path).stdout.startswith("intact")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("policy", "import", "missing.docx", "--json"), "missing.docx"),
        (("policy", "import", "{bad}", "--json"), "no numbered clauses"),
        (("policy", "import", "{good}"), "--org"),
        (
            ("policy", "import", "{good}", "--org", "nowhere", "--yes"),
            "no organisation called 'nowhere'",
        ),
        (("reminders", "--today", "yesterday"), "--today must be a date"),
    ],
)
def test_errors_are_one_clear_line_and_a_non_zero_exit(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    from tests.policies.test_pages import INVENTED_POLICY

    (tmp_path / "bad.txt").write_text("Minutes of the meeting.\nNothing numbered here.\n")
    (tmp_path / "good.txt").write_text(INVENTED_POLICY)
    run("migrate", tmp_path=tmp_path)
    argv = [
        a.replace("{bad}", str(tmp_path / "bad.txt")).replace("{good}", str(tmp_path / "good.txt"))
        for a in args
    ]
    result = run(*argv, tmp_path=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_the_demo_is_idempotent(tmp_path: Path) -> None:
    assert run("migrate", tmp_path=tmp_path).returncode == 0
    first = run("demo", tmp_path=tmp_path)
    assert first.returncode == 0 and "Demo created" in first.stdout
    second = run("demo", tmp_path=tmp_path)
    assert second.returncode == 0
    assert "already loaded" in second.stdout


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = run("--help", tmp_path=tmp_path)
    for command in ("serve", "demo", "policy", "audit", "reminders", "migrate"):
        assert command in result.stdout
