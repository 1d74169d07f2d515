"""The committed artefact loads without scikit-learn and scores sensibly."""

import json
import subprocess
import sys

import pytest

from engines.postcheck.model import ARTEFACT_DIR, load_model


def test_artefact_is_small_and_documented() -> None:
    assert (ARTEFACT_DIR / "offensive.npz").stat().st_size < 3_000_000
    meta = json.loads((ARTEFACT_DIR / "offensive.json").read_text())
    assert meta["test_metrics_at_caution_threshold"]["f1"] > 0.85
    assert set(meta["data"]) == {"davidson2017_labeled_data.csv", "olid-training-v1.0.tsv"}


@pytest.mark.parametrize(
    ("worse", "better"),
    [
        ("you are a fucking idiot", "you are a lovely person"),
        ("these parents are stupid bitches", "these parents are very helpful"),
        ("shut up you moron", "lovely to see you all at the match"),
    ],
)
def test_offensive_text_scores_higher(worse: str, better: str) -> None:
    model = load_model()
    assert model.score(worse) > model.caution_threshold > model.score(better)


def test_batch_scores_equal_single_scores() -> None:
    model = load_model()
    texts = ["you idiot", "", "lovely day", "!!!", "what a shit week"]
    assert model.score_many(texts) == pytest.approx([model.score(t) for t in texts], abs=1e-6)


def test_scoring_imports_neither_sklearn_nor_django() -> None:
    code = (
        "import sys; from engines.postcheck import check, Context;"
        "check('x', audience='public', at=None,"
        " context=Context.from_dict({'organisation': {'name': 'S'}}));"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'django', 'scipy')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
