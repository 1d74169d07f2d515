"""`BreachedPasswordValidator`: a new password must not be one known from breaches (ASVS 5.0
V6.2.12), looked up in a local copy of the Pwned Passwords corpus, never over the network:
schools may have none, and a password's hash must not leave the machine.

`BREACHED_PASSWORDS_FILE` names the file, in Pwned Passwords' downloadable format: one
line a password, its SHA-1 in upper-case hex, a colon and how often it was seen, sorted by
hash. The real file is tens of gigabytes, so it is searched by binary search with seeks
(about 35 one-line reads), never read whole. The `boundaries.E201` system check refuses to
start with a file that is missing, unreadable or not in that format and order, rather than
let every password through unchecked. With the setting empty no password is refused here.
"""

from __future__ import annotations

import hashlib
import re
from itertools import pairwise
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ValidationError

from boundaries.core.models import User

LINE = re.compile(rb"^[0-9A-F]{40}:\d+\r?$")
# The check reads this many lines from the start, and one line at each of as many places
# through the file: enough to find a wrong file or one sorted otherwise, in milliseconds.
CHECKED_LINES = 1000
CHECKED_PLACES = 256


def _line_from(corpus: IO[bytes], offset: int) -> bytes:
    """The first whole line starting at or after `offset` (b"" at the end)."""
    if offset == 0:
        corpus.seek(0)
    else:
        corpus.seek(offset - 1)
        corpus.readline()  # the rest of the line `offset` falls in
    return corpus.readline()


def times_seen(path: Path, password: str) -> int:
    """How often the corpus saw `password` (0: never)."""
    wanted = hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper().encode()
    with path.open("rb") as corpus:
        low, high = 0, path.stat().st_size
        while low < high:  # the least offset whose next line sorts at or after `wanted`
            middle = (low + high) // 2
            line = _line_from(corpus, middle)
            if not line or line[:40] >= wanted:
                high = middle
            else:
                low = middle + 1
        found = _line_from(corpus, low).rstrip(b"\r\n")
    digest, _, count = found.partition(b":")
    return int(count or 0) if digest == wanted else 0


def corpus_path() -> Path | None:
    name = str(getattr(settings, "BREACHED_PASSWORDS_FILE", "") or "")
    return Path(name) if name else None


class BreachedPasswordValidator:
    def validate(self, password: str, user: User | None = None) -> None:
        path = corpus_path()
        if path is not None and times_seen(path, password) > 0:
            raise ValidationError(
                "This password has appeared in a data breach, so attackers try it first. "
                "Choose a different one.",
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return "Your password must not be one that has appeared in a data breach."


def problem_with(path: Path) -> str | None:
    """Why the file cannot be used, or None: missing, unreadable, a line not in the format,
    or lines out of order among those the check reads."""
    try:
        size = path.stat().st_size
        with path.open("rb") as corpus:
            head = [corpus.readline() for _ in range(CHECKED_LINES)]
            places = [size * i // CHECKED_PLACES for i in range(1, CHECKED_PLACES)]
            spread = [_line_from(corpus, offset) for offset in places]
    except OSError as error:
        return f"it cannot be read ({error.strerror or error})"
    runs = [[line.rstrip(b"\n") for line in run if line] for run in (head, spread)]
    if not runs[0]:
        return "it is empty"
    if not all(LINE.match(line) for run in runs for line in run):
        return "a line is not an upper-case SHA-1 hash, a colon and a count"
    if any(a[:40] > b[:40] for run in runs for a, b in pairwise(run)):
        return "its lines are not sorted by hash"
    return None


@register(Tags.security)
def breached_passwords_file(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    path = corpus_path()
    if path is None:
        return []
    problem = problem_with(path)
    if problem is None:
        return []
    return [
        Error(
            f"BREACHED_PASSWORDS_FILE {path} cannot be used: {problem}",
            hint="Download the Pwned Passwords SHA-1 file ordered by hash (see "
            "docs/configuration.md), or leave BREACHED_PASSWORDS_FILE empty.",
            id="boundaries.E201",
        )
    ]
