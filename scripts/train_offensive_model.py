"""Train the post checker's offensive-language model and export it for numpy-only scoring.

Reads the two public tweet corpora from ../shared/data/offensive-language/ (never copied
into the repository), holds out a fixed fifth of each for testing, fits a logistic
regression over the engine's own hashed features and writes
engines/postcheck/model/offensive.npz (weights) and offensive.json (metrics, checksums,
feature settings, date).

    python scripts/train_offensive_model.py [--data DIR] [--out DIR]
"""

import argparse
import csv
import hashlib
import json
import sys
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_score, recall_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engines.postcheck.features import CHAR_NGRAMS, N_BITS, feature_indices  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "offensive-language"
DEFAULT_OUT = ROOT / "engines" / "postcheck" / "model"
DAVIDSON = "davidson2017_labeled_data.csv"
OLID = "olid-training-v1.0.tsv"
SPLIT_SALT = "postcheck-split-2025"
C = 4.0
THRESHOLDS = {"caution": 0.5, "stop": 0.9}


@dataclass(frozen=True)
class Example:
    key: str
    text: str
    offensive: int


def load_examples(data_dir: Path) -> list[Example]:
    """Both corpora as one binary task: hate or offensive (1) against neither (0)."""
    examples = []
    with (data_dir / DAVIDSON).open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            label = 0 if row["class"] == "2" else 1
            examples.append(Example(f"davidson:{row['']}", row["tweet"], label))
    with (data_dir / OLID).open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            examples.append(
                Example(f"olid:{row['id']}", row["tweet"], int(row["subtask_a"] == "OFF"))
            )
    return examples


def is_test(example: Example) -> bool:
    """A fixed fifth, chosen by a salted hash of the example's id: the same on every run."""
    return zlib.crc32(f"{SPLIT_SALT}:{example.key}".encode()) % 5 == 0


def split(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    train = [e for e in examples if not is_test(e)]
    test = [e for e in examples if is_test(e)]
    return train, test


def design_matrix(texts: list[str]) -> sparse.csr_matrix:
    rows = [feature_indices(t) for t in texts]
    indptr = np.cumsum([0] + [len(r) for r in rows])
    indices = np.fromiter((i for r in rows for i in r), dtype=np.int64)
    values = np.concatenate([np.full(len(r), 1 / np.sqrt(max(len(r), 1))) for r in rows])
    return sparse.csr_matrix((values, indices, indptr), shape=(len(rows), 1 << N_BITS))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    return {
        "precision": round(float(precision_score(y_true, y_pred)), 4),
        "recall": round(float(recall_score(y_true, y_pred)), 4),
        "f1": round(float(f1_score(y_true, y_pred)), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    started = time.perf_counter()
    train, test = split(load_examples(args.data))
    x_train = design_matrix([e.text for e in train])
    y_train = np.array([e.offensive for e in train])
    model = LogisticRegression(C=C, solver="liblinear", max_iter=1000, random_state=0)
    model.fit(x_train, y_train)
    weights = model.coef_[0].astype(np.float32)
    intercept = float(model.intercept_[0])
    x_test = design_matrix([e.text for e in test])
    y_test = np.array([e.offensive for e in test])
    y_pred = (model.predict_proba(x_test)[:, 1] >= THRESHOLDS["caution"]).astype(int)
    args.out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out / "offensive.npz", weights=weights.astype(np.float16))
    meta = {
        "model": f"logistic regression (liblinear, L2, C={C}) on binary hashed n-grams",
        "trained_on": datetime.now(UTC).date().isoformat(),
        "training_seconds": round(time.perf_counter() - started, 1),
        "features": {
            "n_bits": N_BITS,
            "hash": "crc32",
            "word_unigrams": True,
            "word_bigrams": True,
            "char_ngrams_within_words": list(CHAR_NGRAMS),
            "row_scaling": "1/sqrt(distinct features)",
        },
        "intercept": intercept,
        "thresholds": THRESHOLDS,
        "data": {name: {"sha256": sha256(args.data / name)} for name in (DAVIDSON, OLID)},
        "split": {"salt": SPLIT_SALT, "test_fraction": 0.2, "train": len(train), "test": len(test)},
        "test_metrics_at_caution_threshold": metrics(y_test, y_pred),
        "weights_dtype": "float16",
    }
    (args.out / "offensive.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(json.dumps(meta["test_metrics_at_caution_threshold"]), f"in {meta['training_seconds']}s")


if __name__ == "__main__":
    main()
