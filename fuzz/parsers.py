"""Coverage-guided fuzzing (atheris) of everything that reads outside input: policy
documents, the post checker's context, web-filter logs in each format, and the staff and
pupil roster CSV imports. Each target accepts its one documented error type for bad input;
anything else escaping is a crash.

    python fuzz/parsers.py --seconds 10          # every target, a short run (CI)
    python fuzz/parsers.py --seconds 600 policydoc  # one target, longer (make fuzz)
    python fuzz/parsers.py --target NAME [libFuzzer options]  # run one target in-process
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "fuzz" / "seeds"
PRESET_NAMES = ("smoothwall", "lightspeed", "securly", "netsweeper")
TARGETS = [
    "policydoc",
    "postcheck_context",
    "weblogs_squid",
    "weblogs_combined",
    "weblogs_csv",
    "roster_staff",
    "roster_pupils",
]


def _policydoc() -> Callable[[bytes], None]:
    from engines.policydoc import DocumentError, parse_document

    names = ["policy.txt", "policy.md", "policy.docx", "policy.pdf"]

    def one(data: bytes) -> None:
        name = names[data[0] % len(names)] if data else "policy.txt"
        with contextlib.suppress(DocumentError):
            parse_document(data[1:], name)

    return one


def _postcheck_context() -> Callable[[bytes], None]:
    import json

    from engines.postcheck.context import Context
    from engines.postcheck.errors import PostcheckError

    def one(data: bytes) -> None:
        try:
            value = json.loads(data.decode("utf-8", "replace"))
        except ValueError:
            return
        with contextlib.suppress(PostcheckError):
            Context.from_dict(value)

    return one


def _weblogs(fmt: str) -> Callable[[], Callable[[bytes], None]]:
    def make() -> Callable[[bytes], None]:
        from engines.weblogs import Calendar, Identities, WeblogsError, analyse, load_catalogue

        catalogue = load_catalogue()
        calendar = Calendar.from_dict(
            {
                "timezone": "Europe/London",
                "weekdays": [0, 1, 2, 3, 4],
                "start": "08:30",
                "end": "15:30",
                "breaks": [["12:00", "13:00"]],
            }
        )
        identities = Identities.from_rows(
            [{"person": "Alice", "login": "alice"}, {"person": "Bob", "ip": "10.0.0.9"}]
        )
        folder = Path(tempfile.mkdtemp(prefix="fuzz-weblogs-"))
        path = folder / f"input.{'csv' if fmt == 'csv' else 'log'}"

        def one(data: bytes) -> None:
            chosen = fmt
            if fmt == "csv":  # the first byte picks a product's preset, the rest is the file
                chosen = PRESET_NAMES[data[0] % len(PRESET_NAMES)] if data else "smoothwall"
                data = data[1:]
            path.write_bytes(data)
            with contextlib.suppress(WeblogsError):
                analyse(
                    [path],
                    fmt=chosen,
                    catalogue=catalogue,
                    identities=identities,
                    calendar=calendar,
                    workers=1,
                )

        # Compile the engine's numba kernels before the clock starts (seconds, once).
        for seed in sorted((SEEDS / f"weblogs_{fmt}").iterdir()):
            one(seed.read_bytes())
        return one

    return make


def _roster(kind: str) -> Callable[[], Callable[[bytes], None]]:
    def make() -> Callable[[bytes], None]:
        work = Path(tempfile.mkdtemp(prefix="fuzz-roster-"))
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "boundaries.settings",
                "BOUNDARIES_DATA_DIR": str(work),
                "DATABASE_URL": f"sqlite:///{work}/fuzz.sqlite3",
                "LOG_LEVEL": "ERROR",
            }
        )
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from boundaries.core.actions import create_organisation
        from boundaries.roster.actions import ImportRefused, import_file

        school = create_organisation(name="Fuzz School", slug="fuzz", kind="school", actor=None)

        def one(data: bytes) -> None:
            with contextlib.suppress(ImportRefused):
                import_file(school, kind, data, filename="f.csv", dry_run=True, actor=None)

        return one

    return make


MAKERS: dict[str, Callable[[], Callable[[bytes], None]]] = {
    "policydoc": _policydoc,
    "postcheck_context": _postcheck_context,
    "weblogs_squid": _weblogs("squid"),
    "weblogs_combined": _weblogs("combined"),
    "weblogs_csv": _weblogs("csv"),
    "roster_staff": _roster("staff"),
    "roster_pupils": _roster("pupils"),
}


def run_target(name: str, libfuzzer_args: list[str]) -> None:
    import atheris

    # numba compiles the web-log kernels from their bytecode, which instrumentation would change.
    with atheris.instrument_imports(
        include=["engines", "boundaries"], exclude=["engines.weblogs.kernels"]
    ):
        one = MAKERS[name]()
    atheris.Setup([sys.argv[0], *libfuzzer_args], one)
    atheris.Fuzz()


DONE = re.compile(r"Done (\d+) runs in (\d+) second")


def run_all(names: list[str], seconds: int) -> int:
    crashes = 0
    rows = []
    for name in names:
        corpus = Path(tempfile.mkdtemp(prefix=f"fuzz-{name}-"))
        artifacts = ROOT / "var" / "fuzz" / name
        artifacts.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            __file__,
            "--target",
            name,
            f"-max_total_time={seconds}",
            "-rss_limit_mb=3072",
            "-timeout=60",
            f"-artifact_prefix={artifacts}/",
            "-print_final_stats=1",
            str(corpus),
            str(SEEDS / name),
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        found = DONE.search(result.stderr)
        runs = int(found.group(1)) if found else 0
        crashed = result.returncode != 0
        crashes += crashed
        rows.append((name, runs, seconds, "CRASH" if crashed else "0 crashes"))
        if crashed:
            (artifacts / "stderr.txt").write_text(result.stderr)
            print(result.stderr[-4000:], file=sys.stderr)
    print(f"{'target':<20} {'executions':>11} {'seconds':>8}  result")
    for name, runs, secs, outcome in rows:
        print(f"{name:<20} {runs:>11} {secs:>8}  {outcome}")
    return 1 if crashes else 0


def main() -> int:
    if "--target" in sys.argv:
        i = sys.argv.index("--target")
        run_target(sys.argv[i + 1], sys.argv[1:i] + sys.argv[i + 2 :])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("targets", nargs="*", help=f"any of {', '.join(TARGETS)}")
    options = parser.parse_args()
    unknown = set(options.targets) - set(TARGETS)
    if unknown:
        parser.error(f"unknown targets {sorted(unknown)}; choose from {TARGETS}")
    return run_all(options.targets or TARGETS, options.seconds)


if __name__ == "__main__":
    sys.exit(main())
