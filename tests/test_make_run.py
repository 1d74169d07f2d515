"""`make run` is the first command a school runs: every `boundaries` line in it must parse."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_recipe() -> list[list[str]]:
    text = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^run:.*\n((?:\t.*\n)+)", text, re.M)
    assert recipe, "the Makefile has no run target"
    lines = [line.strip() for line in recipe.group(1).splitlines()]
    return [line.split()[1:] for line in lines if line.startswith("$(BIN)/boundaries")]


def test_make_run_migrates_builds_the_demo_and_serves() -> None:
    assert [args[0] for args in run_recipe()] == ["migrate", "demo", "serve"]


@pytest.mark.parametrize("args", run_recipe(), ids=lambda a: " ".join(a))
def test_each_command_in_make_run_accepts_its_options(args: list[str], tmp_path: Path) -> None:
    env = {**os.environ, "BOUNDARIES_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "boundaries.cli", *args, "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
