"""One command: the engine, GoAccess and the plain-Python reference on the same file.

Generates the log if missing, warms the page cache, runs each tool as its own process
tree and reports lines/s, MB/s, peak memory and ratios. The engine's compiled loops are
cached on disk by numba after their first run anywhere; the benchmark runs the engine
once on a few lines first so that compilation is not timed (it is printed separately).
CPU s is user + system time of the tool's process tree (less sensitive than seconds to
other jobs on the machine). Peak memory is measured two ways: the largest single-process
high-water mark (getrusage of a fresh wrapper process) and the sampled sum of RSS over
the whole process tree.
The engine runs twice: as `weblogs analyse` prints JSON lines (no checksum), and with
`--sha256`, hashing the file as saving figures does ("engine+sha").
Usage: python bench/weblogs_speed.py [--lines N] [--out bench/out] [--quick]
(--quick: the engine alone, no GoAccess or reference run.)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def tree_rss(pid: int) -> int:
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        stack += [int(c) for c in children]
    return total


def run(name: str, cmd: list[str], lines: int, size: int) -> dict[str, float | str]:
    peak = [0]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    if proc.returncode:
        sys.exit(f"{name} failed: {err.decode()[-500:]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    single = usage.ru_maxrss * 1024
    return {
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "tool": name,
        "seconds": seconds,
        "lines_per_s": lines / seconds,
        "mb_per_s": size / seconds / 1e6,
        "peak_process_rss_mib": single / 2**20,
        "peak_tree_rss_mib": peak[0] / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--skip", nargs="*", default=[], choices=["goaccess", "reference"])
    parser.add_argument("--quick", action="store_true", help="the engine alone")
    args = parser.parse_args()
    if args.quick:
        args.skip = ["goaccess", "reference"]
    log = args.out / f"squid-{args.lines}.log"
    if not log.exists():
        args.out.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                str(HERE / "weblogs_generate.py"),
                "--lines",
                str(args.lines),
                "--out",
                str(log),
            ],
            check=True,
        )
    cal, ids = f"{log}.calendar.json", f"{log}.identities.csv"
    size = log.stat().st_size
    with log.open("rb") as fh:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 24), b""))
    py = sys.executable
    engine_cmd = [
        *(py, "-c", "from boundaries.cli.weblogs import app; app()", "analyse", str(log)),
        *("--format", "squid", "--calendar", cal, "--identities", ids),
    ]
    # the JSON-lines mode hashes nothing; saving figures records each file's sha256 too
    tools = [("engine", engine_cmd), ("engine+sha", [*engine_cmd, "--sha256"])]
    if "goaccess" not in args.skip and shutil.which("goaccess"):
        tools.append(
            (
                "goaccess",
                [
                    "goaccess",
                    str(log),
                    "--log-format=%x.%^ %~%L %h %^/%s %b %m %U %e %^",
                    "--date-format=%s",
                    "--time-format=%s",
                    "--no-progress",
                    "-o",
                    str(args.out / "goaccess.json"),
                ],
            )
        )
    if "reference" not in args.skip:
        tools.append(("reference", [py, str(HERE / "weblogs_reference.py"), str(log), cal, ids]))
    few = args.out / "warm-up.log"
    with log.open("rb") as fh:
        few.write_bytes(b"".join(fh.readline() for _ in range(1000)))
    start = time.perf_counter()
    subprocess.run(
        [*engine_cmd[:4], str(few), *engine_cmd[5:]],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
        cwd=HERE.parent,
    )
    warm_up = time.perf_counter() - start
    load_before = os.getloadavg()
    results = []
    for name, cmd in tools:
        subprocess.run(["cat", str(log)], stdout=subprocess.DEVNULL, check=True)
        # each tool in a fresh wrapper so ru_maxrss is that tool's own high-water mark
        wrapper = [
            py,
            "-c",
            f"import json,sys; sys.path.insert(0, {str(HERE)!r}); import weblogs_speed as w; "
            "a = sys.argv; print(json.dumps(w.run(a[1], a[4:], int(a[2]), int(a[3]))))",
            name,
            str(lines),
            str(size),
            *cmd,
        ]
        out = subprocess.run(wrapper, capture_output=True, text=True, check=True, cwd=HERE.parent)
        results.append(json.loads(out.stdout))
    load_after = os.getloadavg()
    engine = results[0]
    print(f"file: {log} ({lines:,} lines, {size / 1e6:,.0f} MB), {os.cpu_count()} cores")
    before, after = (" ".join(f"{x:.2f}" for x in load) for load in (load_before, load_after))
    print(f"load average (1, 5, 15 min) before: {before}, after: {after}")
    print(f"engine on 1,000 lines first (compiles on a cold cache): {warm_up:.2f} s")
    print(
        f"{'tool':10} {'seconds':>8} {'lines/s':>12} {'MB/s':>8} {'peak proc MiB':>14} "
        f"{'peak tree MiB':>14} {'engine x':>9} {'CPU s':>8}"
    )
    for r in results:
        print(
            f"{r['tool']:10} {r['seconds']:8.2f} {r['lines_per_s']:12,.0f} {r['mb_per_s']:8.1f} "
            f"{r['peak_process_rss_mib']:14.0f} {r['peak_tree_rss_mib']:14.0f} "
            f"{engine['lines_per_s'] / r['lines_per_s']:9.2f} {r['cpu_seconds']:8.2f}"
        )


if __name__ == "__main__":
    main()
