"""Checks that need ../shared/data; skipped where that folder is absent (it is not in the repo)."""

import hashlib
import json
from pathlib import Path

import pytest

from engines.postcheck.model import ARTEFACT_DIR

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "offensive-language"
pytestmark = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"training data not present at {DATA} (shared data folder)"
)


@pytest.mark.parametrize("name", ["davidson2017_labeled_data.csv", "olid-training-v1.0.tsv"])
def test_the_artefact_was_trained_on_this_data(name: str) -> None:
    meta = json.loads((ARTEFACT_DIR / "offensive.json").read_text())
    assert meta["data"][name]["sha256"] == hashlib.sha256((DATA / name).read_bytes()).hexdigest()
