"""The `boundaries` command as a real process that a test can watch and kill.

With `--progress` the import names each phase on standard error as it starts; the test
reads those lines as they come, so after a SIGKILL it knows the phase the process was in:
the last one it announced. "start" is before the first (Python and Django loading), "done"
after "Saved:" (committed, not yet exited).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from boundaries.cli.imports import PHASES

PHASE_OF_LINE = {f": {text}…": phase for phase, text in PHASES.items()}
ORDER = ("start", *PHASES, "done")


def _command() -> list[str]:
    script = Path(sys.executable).parent / "boundaries"
    return [str(script)] if script.exists() else [sys.executable, "-m", "boundaries.cli"]


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    phases: list[tuple[float, str]]  # seconds after start, phase
    killed: bool
    saved_at: float | None = None  # seconds after start when "Saved:" was printed

    @property
    def phase(self) -> str:
        if "\nSaved: " in f"\n{self.stdout}":
            return "done"
        return self.phases[-1][1] if self.phases else "start"

    def started(self, phase: str) -> float | None:
        return next((at for at, name in self.phases if name == phase), None)


@dataclass
class Running:
    process: subprocess.Popen[str]
    began: float
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)
    phases: list[tuple[float, str]] = field(default_factory=list)
    saved_at: float | None = None
    readers: list[threading.Thread] = field(default_factory=list)
    seen: threading.Condition = field(default_factory=threading.Condition)

    def _read(self, stream: IO[str], into: list[str], watch: bool) -> None:
        for line in stream:
            now = time.monotonic() - self.began
            into.append(line)
            if line.startswith("Saved: "):
                self.saved_at = now
            if watch:
                phase = next((p for text, p in PHASE_OF_LINE.items() if text in line), None)
                if phase:
                    with self.seen:
                        self.phases.append((now, phase))
                        self.seen.notify_all()
        stream.close()

    def wait_for(self, phase: str, timeout: float = 120) -> float:
        """Block until the process announces `phase`; the seconds since it started."""
        with self.seen:
            found = self.seen.wait_for(
                lambda: any(p == phase for _, p in self.phases) or self.process.poll() is not None,
                timeout,
            )
        at = next((t for t, p in self.phases if p == phase), None)
        if not found or at is None:
            raise AssertionError(f"the import never reached {phase!r}: {''.join(self.err)}")
        return at

    def kill(self) -> bool:
        """SIGKILL the process (no clean-up of any kind); False if it had already exited."""
        if self.process.poll() is not None:
            return False
        os.killpg(self.process.pid, signal.SIGKILL)
        return True

    def finish(self, timeout: float = 300, killed: bool = False) -> Run:
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            self.process.wait()
            raise
        seconds = time.monotonic() - self.began
        for reader in self.readers:
            reader.join()
        return Run(
            self.process.returncode,
            "".join(self.out),
            "".join(self.err),
            seconds,
            list(self.phases),
            killed,
            self.saved_at,
        )


def start(*args: str, env: dict[str, str]) -> Running:
    process = subprocess.Popen(
        [*_command(), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**env, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,  # its own process group, so the kill reaches all of it
    )
    running = Running(process, time.monotonic())
    for stream, into, watch in (
        (process.stdout, running.out, False),
        (process.stderr, running.err, True),
    ):
        assert stream is not None
        reader = threading.Thread(target=running._read, args=(stream, into, watch), daemon=True)
        reader.start()
        running.readers.append(reader)
    return running


def run(*args: str, env: dict[str, str], timeout: float = 300) -> Run:
    return start(*args, env=env).finish(timeout)


def kill_at(phase: str, delay: float, *args: str, env: dict[str, str]) -> Run:
    """Start the command, SIGKILL it `delay` seconds after it announces `phase` ("start":
    after it was started), and say what it had printed."""
    running = start(*args, env=env)
    since = running.began if phase == "start" else running.began + running.wait_for(phase)
    time.sleep(max(0.0, delay - (time.monotonic() - since)))
    killed = running.kill()
    return running.finish(killed=killed)
