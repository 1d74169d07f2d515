"""The offensive-language model on its held-out split, beside alt-profanity-check on the
same split in the same run: precision, recall and F1 for each.

    python scripts/eval_offensive_model.py [--data DIR]

Needs ../shared/data/offensive-language/ and alt-profanity-check (a dev dependency).
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from train_offensive_model import DEFAULT_DATA, load_examples, split  # noqa: E402

from engines.postcheck.model import load_model  # noqa: E402


def prf(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[float, float, float]:
    tp = int(np.sum((y_pred == 1) & (y_true == 1)))
    precision = tp / max(int(np.sum(y_pred == 1)), 1)
    recall = tp / max(int(np.sum(y_true == 1)), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    _, test = split(load_examples(args.data))
    texts = [e.text for e in test]
    y_true = np.array([e.offensive for e in test])
    sources = np.array([e.key.split(":")[0] for e in test])

    model = load_model()
    started = time.perf_counter()
    ours = np.array(model.score_many(texts))
    ours_seconds = time.perf_counter() - started

    from profanity_check import predict_prob  # imported late: its start-up is not ours

    started = time.perf_counter()
    theirs = predict_prob(texts)
    theirs_seconds = time.perf_counter() - started

    print(f"held-out split: {len(test)} tweets ({int(y_true.sum())} offensive), threshold 0.5")
    print(f"{'model':<22} {'subset':<9} {'precision':>9} {'recall':>7} {'f1':>6}")
    for name, scores, seconds in (
        ("postcheck (ours)", ours, ours_seconds),
        ("alt-profanity-check", theirs, theirs_seconds),
    ):
        for subset in ("all", "davidson", "olid"):
            mask = np.ones(len(test), bool) if subset == "all" else sources == subset
            p, r, f = prf(y_true[mask], (scores[mask] >= 0.5).astype(int))
            print(f"{name:<22} {subset:<9} {p:>9.3f} {r:>7.3f} {f:>6.3f}")
        print(f"{'':<22} scored in {seconds:.2f}s")


if __name__ == "__main__":
    main()
