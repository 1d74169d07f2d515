"""The offensive-language model at run time: a linear model scored with numpy alone.

The weights come from ``scripts/train_offensive_model.py``; scikit-learn is needed only
to train. Rows are binary feature bags scaled to unit length, as in training.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from itertools import chain
from pathlib import Path

import numpy as np
import numpy.typing as npt

from engines.postcheck.features import N_BITS, feature_indices, word_feature_index, words

ARTEFACT_DIR = Path(__file__).parent / "model"


@dataclass(frozen=True)
class OffensiveModel:
    weights: npt.NDArray[np.float32]
    intercept: float
    caution_threshold: float
    stop_threshold: float

    def score(self, text: str) -> float:
        indices = feature_indices(text)
        if not indices:
            return _sigmoid(self.intercept)
        total = float(self.weights[indices].sum())
        return _sigmoid(self.intercept + total / math.sqrt(len(indices)))

    def score_many(self, texts: list[str]) -> list[float]:
        """Score a batch with one gather and one segmented sum, not a loop of small ones."""
        rows = [feature_indices(text) for text in texts]
        counts = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
        if not len(rows):
            return []
        flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=int(counts.sum()))
        sums = np.zeros(len(rows), dtype=np.float64)
        nonempty = counts > 0
        if flat.size:
            offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))[nonempty]
            sums[nonempty] = np.add.reduceat(self.weights[flat].astype(np.float64), offsets)
        scale = np.sqrt(np.maximum(counts, 1))
        logits = self.intercept + sums / scale
        return [float(x) for x in 1.0 / (1.0 + np.exp(-logits))]

    def worst_word(self, text: str) -> str | None:
        """The word whose own unigram weight pushes hardest towards offensive, if any does."""
        best, best_weight = None, 0.0
        for word in words(text):
            weight = float(self.weights[word_feature_index(word)])
            if weight > best_weight:
                best, best_weight = word, weight
        return best


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


@cache
def load_model(directory: Path = ARTEFACT_DIR) -> OffensiveModel:
    """Load the committed artefact once per process; it never touches the network."""
    with np.load(directory / "offensive.npz") as data:
        weights = data["weights"].astype(np.float32)
    meta = json.loads((directory / "offensive.json").read_text())
    if weights.shape != (1 << N_BITS,) or meta["features"]["n_bits"] != N_BITS:
        raise ValueError("offensive model artefact does not match the feature settings")
    return OffensiveModel(
        weights=weights,
        intercept=float(meta["intercept"]),
        caution_threshold=float(meta["thresholds"]["caution"]),
        stop_threshold=float(meta["thresholds"]["stop"]),
    )
