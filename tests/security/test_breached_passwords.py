"""New passwords are checked against a local copy of the Pwned Passwords corpus (ASVS 5.0
V6.2.12), searched with seeks; a file that cannot be used stops start-up. The corpora here
are small invented files in the download's format."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from boundaries.security import breached
from tests.cast import PASSWORD, Cast

BREACHED = "purple elephant wallpaper"
FRESH = "a long new passphrase of my own"


def _sha1(password: str) -> str:
    return hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper()


def _corpus(path: Path, passwords: list[str], invented: int = 5000, *, crlf: bool = True) -> Path:
    """A sorted corpus: the passwords given, among `invented` random hashes."""
    rng = random.Random(7)
    hashes = {_sha1(p): rng.randint(1, 9999) for p in passwords}
    hashes |= {f"{rng.getrandbits(160):040X}": rng.randint(1, 9999) for _ in range(invented)}
    end = "\r\n" if crlf else "\n"
    path.write_text("".join(f"{h}:{n}{end}" for h, n in sorted(hashes.items())), newline="")
    return path


@pytest.fixture
def corpus(tmp_path: Path, settings) -> Path:  # type: ignore[no-untyped-def]
    path = _corpus(tmp_path / "pwned-passwords-sha1-ordered-by-hash.txt", [BREACHED, PASSWORD])
    settings.BREACHED_PASSWORDS_FILE = str(path)
    return path


def test_a_breached_password_is_refused_and_others_pass(corpus: Path, cast: Cast) -> None:
    with pytest.raises(ValidationError, match="appeared in a data breach"):
        validate_password(BREACHED, cast.teacher)
    validate_password(FRESH, cast.teacher)


def test_every_password_in_the_file_is_found_and_no_other(tmp_path: Path) -> None:
    words = [f"word {i}" for i in range(300)]
    path = _corpus(tmp_path / "d.txt", words, invented=3000)
    assert all(breached.times_seen(path, w) > 0 for w in words)
    assert not any(breached.times_seen(path, f"other {i}") for i in range(300))


def test_the_lowest_and_highest_hashes_are_found(tmp_path: Path) -> None:
    low = next(w for w in (f"w{i}" for i in range(10**6)) if _sha1(w) < "0001")
    high = next(w for w in (f"w{i}" for i in range(10**6)) if _sha1(w) > "FFFE")
    path = _corpus(tmp_path / "e.txt", [low, high], invented=100)
    lines = path.read_text().splitlines()
    assert lines[0].startswith(_sha1(low)) and lines[-1].startswith(_sha1(high))
    assert breached.times_seen(path, low) > 0 and breached.times_seen(path, high) > 0


def test_changing_to_a_breached_password_is_refused_with_a_reason(corpus: Path, cast: Cast) -> None:
    client = Client()
    client.post("/sign-in/", {"username": "teacher", "password": PASSWORD})
    data = {"old_password": PASSWORD, "new_password1": BREACHED, "new_password2": BREACHED}
    page = client.post("/account/password/", data)
    assert page.status_code == 200
    assert "appeared in a data breach" in page.text
    cast.teacher.refresh_from_db()
    assert cast.teacher.check_password(PASSWORD)


def test_without_the_setting_no_password_is_refused_as_breached(settings, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    settings.BREACHED_PASSWORDS_FILE = ""
    validate_password(BREACHED, cast.teacher)
    assert breached.breached_passwords_file() == []


def test_a_good_file_passes_the_start_up_check(corpus: Path) -> None:
    assert breached.breached_passwords_file() == []


@pytest.mark.parametrize(
    ("contents", "problem"),
    [
        (None, "cannot be read"),
        ("", "is empty"),
        ("not a hash:3\n", "not an upper-case SHA-1"),
        (f"{'a' * 40}:3\n", "not an upper-case SHA-1"),
        (f"{'B' * 40}:3\n{'A' * 40}:5\n", "not sorted"),
    ],
)
def test_a_file_that_cannot_be_used_stops_start_up(
    tmp_path: Path,
    settings,
    contents: str | None,
    problem: str,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "corpus.txt"
    if contents is not None:
        path.write_text(contents)
    settings.BREACHED_PASSWORDS_FILE = str(path)
    [error] = breached.breached_passwords_file()
    assert error.id == "boundaries.E201" and problem in error.msg and str(path) in error.msg


def test_a_large_file_out_of_order_deep_inside_is_caught(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    path = _corpus(tmp_path / "big.txt", [], invented=20000)
    lines = path.read_text().splitlines(keepends=True)
    lines[15000:] = sorted(lines[15000:], reverse=True)
    path.write_text("".join(lines), newline="")
    settings.BREACHED_PASSWORDS_FILE = str(path)
    [error] = breached.breached_passwords_file()
    assert "not sorted" in error.msg
