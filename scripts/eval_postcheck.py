"""Evaluate the post checker on the labelled suite: per-clause precision and recall and
verdict accuracy, for the tuning cases and, separately, the held-out cases written
before the rules were tuned (so the held-out figures are the honest ones).

    python scripts/eval_postcheck.py [--cases DIR] [--context FILE] [--show-errors]
"""

import argparse
import json
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engines.postcheck import Context, check  # noqa: E402

CLAUSES = ("4.1(i)", "4.1(iii)", "4.1(iv)", "4.1(v)", "4.1(vi)", "5")
SUITE = ROOT / "tests" / "postcheck"


def load_cases(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def evaluate(cases: list[dict], context: Context, show_errors: bool) -> dict[str, object]:
    counts: dict[str, Counter[str]] = {c: Counter() for c in CLAUSES}
    right = 0
    for case in cases:
        at = datetime.fromisoformat(case["posted_at"]) if case.get("posted_at") else None
        verdict = check(case["text"], audience=case["audience"], at=at, context=context)
        expected, got = set(case["expect"]["clauses"]), set(verdict.clauses)
        for clause in CLAUSES:
            key = ("t" if clause in got else "f") + ("p" if clause in expected else "n")
            counts[clause][{"tp": "tp", "tn": "fp", "fp": "fn", "fn": "tn"}[key]] += 1
        right += verdict.verdict == case["expect"]["verdict"]
        if show_errors and (verdict.verdict != case["expect"]["verdict"] or expected != got):
            print(
                f"  {case['id']}: want {case['expect']['verdict']} {sorted(expected)} "
                f"got {verdict.verdict} {sorted(got)} | {case['text']}"
            )
    return {"n": len(cases), "accuracy": right / len(cases), "counts": counts}


def report(name: str, result: dict) -> None:
    print(f"\n{name}: {result['n']} cases, verdict accuracy {result['accuracy']:.3f}")
    print(f"  {'clause':<9} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}")
    for clause, c in result["counts"].items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else float("nan")
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else float("nan")
        print(f"  {clause:<9} {p:>9.3f} {r:>7.3f} {c['tp']:>4} {c['fp']:>4} {c['fn']:>4}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=SUITE / "cases")
    parser.add_argument("--context", type=Path, default=SUITE / "context.json")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    context = Context.from_dict(json.loads(args.context.read_text()))
    groups: dict[str, list[dict]] = {"tuned": [], "held-out": []}
    for path in sorted(args.cases.glob("*.jsonl")):
        groups["held-out" if path.stem == "heldout" else "tuned"].extend(load_cases(path))
    for name, cases in groups.items():
        if cases:
            report(name, evaluate(cases, context, args.show_errors))


if __name__ == "__main__":
    main()
