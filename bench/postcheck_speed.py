"""Post checker speed beside alt-profanity-check, in one run, on one core.

    python bench/postcheck_speed.py [--posts N]

Each engine runs in its own child process (so that peak RSS is its own), pinned to one
CPU with BLAS/OpenMP threads set to 1. Posts are the labelled suite's texts, varied,
checked against the demo school's context grown to ~400 roster people. Prints posts per
second one at a time and in batch, p50/p99 latency, peak RSS, and our ratios against
the baseline measured in the same run.
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SUITE = ROOT / "tests" / "postcheck"
BATCH = 1000
FIRST = (
    "Aisha",
    "Ben",
    "Callum",
    "Daisy",
    "Ella",
    "Finley",
    "Georgia",
    "Harry",
    "Isla",
    "Jacob",
    "Kai",
    "Leo",
    "Maya",
    "Nina",
    "Oscar",
    "Poppy",
    "Reuben",
    "Sofia",
    "Theo",
    "Una",
    "Vera",
    "Wes",
    "Yasmin",
    "Zach",
    "Alfie",
    "Bella",
    "Caleb",
    "Demi",
    "Evie",
    "Freddie",
)
LAST = (
    "Ainsworth",
    "Bamber",
    "Clegg",
    "Duckworth",
    "Entwistle",
    "Fairclough",
    "Greenhalgh",
    "Heaton",
    "Ingham",
    "Jolly",
    "Kershaw",
    "Lathom",
    "Mather",
    "Nuttall",
    "Openshaw",
    "Pilling",
    "Rigby",
    "Shorrock",
    "Tattersall",
    "Walmsley",
)
VARIANTS = ["", " x", " today", " lol", "!", " #fridayfeeling", " to be honest", "..."]


def context_data() -> dict:
    data = json.loads((SUITE / "context.json").read_text())
    rng = random.Random(7)
    roles = ["pupil"] * 6 + ["parent"] * 3 + ["staff", "former_pupil"]
    while len(data["people"]) < 400:
        role = rng.choice(roles)
        born = f"{rng.randint(2005, 2019)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        data["people"].append(
            {"name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "role": role, "aliases": [],
             "date_of_birth": born if role in ("pupil", "former_pupil") else None}
        )  # fmt: skip
    return data


def posts(n: int) -> list[tuple[str, str, datetime | None]]:
    rows = [json.loads(line) for p in sorted((SUITE / "cases").glob("*.jsonl"))
            for line in p.read_text().splitlines()]  # fmt: skip
    rng = random.Random(11)
    out = []
    for i in range(n):
        row = rows[i % len(rows)]
        at = datetime.fromisoformat(row["posted_at"]) if row["posted_at"] else None
        out.append((row["text"] + rng.choice(VARIANTS), row["audience"], at))
    return out


def measure(
    single: Callable[[tuple], object], batch: Callable[[list], object], items: list
) -> dict:
    single(items[0])
    batch(items[:10])
    latencies = []
    started = time.perf_counter()
    for item in items:
        t0 = time.perf_counter_ns()
        single(item)
        latencies.append(time.perf_counter_ns() - t0)
    single_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for i in range(0, len(items), BATCH):
        batch(items[i : i + BATCH])
    batch_seconds = time.perf_counter() - started
    latencies.sort()
    return {
        "posts": len(items),
        "single_per_s": len(items) / single_seconds,
        "batch_per_s": len(items) / batch_seconds,
        "p50_ms": latencies[len(latencies) // 2] / 1e6,
        "p99_ms": latencies[int(len(latencies) * 0.99)] / 1e6,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_ours(n: int) -> dict:
    from engines.postcheck import Context, check, check_many

    context = Context.from_dict(context_data())
    return measure(
        lambda p: check(p[0], audience=p[1], at=p[2], context=context),
        lambda ps: check_many(ps, context),
        posts(n),
    )


def run_baseline(n: int) -> dict:
    from profanity_check import predict_prob

    return measure(
        lambda p: predict_prob([p[0]]),
        lambda ps: predict_prob([p[0] for p in ps]),
        posts(n),
    )


def child(engine: str, n: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--only", engine, "--posts", str(n)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20000)
    parser.add_argument("--only", choices=("ours", "baseline"))
    args = parser.parse_args()
    if args.only:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        result = (run_ours if args.only == "ours" else run_baseline)(args.posts)
        print(json.dumps(result))
        return
    results = {
        "postcheck": child("ours", args.posts),
        "alt-profanity-check": child("baseline", args.posts),
    }
    print(f"{args.posts} posts, 1 core, ~400 roster people; batch size {BATCH}")
    print(
        f"{'engine':<20} {'single/s':>9} {'batch/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'peak MB':>8}"
    )
    for name, r in results.items():
        print(f"{name:<20} {r['single_per_s']:>9.0f} {r['batch_per_s']:>9.0f} "
              f"{r['p50_ms']:>7.3f} {r['p99_ms']:>7.3f} {r['peak_rss_mb']:>8.1f}")  # fmt: skip
    ours, base = results["postcheck"], results["alt-profanity-check"]
    print(
        f"ratio postcheck/baseline: single {ours['single_per_s'] / base['single_per_s']:.2f}x, "
        f"batch {ours['batch_per_s'] / base['batch_per_s']:.2f}x, "
        f"p99 {ours['p99_ms'] / base['p99_ms']:.2f}x, "
        f"memory {ours['peak_rss_mb'] / base['peak_rss_mb']:.2f}x"
    )
    targets = ours["single_per_s"] >= 1000 and ours["p99_ms"] < 10 and ours["batch_per_s"] >= 5000
    print("targets (>=1000/s single, p99 < 10 ms, >=5000/s batch, < 300 MB):",
          "met" if targets and ours["peak_rss_mb"] < 300 else "NOT met")  # fmt: skip


if __name__ == "__main__":
    main()
