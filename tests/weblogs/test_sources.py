from __future__ import annotations

import bz2
import gzip
import shutil

import pytest
import zstandard

from engines.weblogs import WeblogsError, analyse

from .conftest import SAMPLES


@pytest.mark.parametrize("kind", ["gzip", "zstd"])
def test_compressed_logs_give_the_same_rows(kind, tmp_path, catalogue, identities, calendar):
    raw = (SAMPLES / "squid.log").read_bytes()
    path = tmp_path / f"log.{kind}"
    path.write_bytes(gzip.compress(raw) if kind == "gzip" else zstandard.compress(raw))
    plain = analyse(
        [SAMPLES / "squid.log"],
        fmt="squid",
        catalogue=catalogue,
        identities=identities,
        calendar=calendar,
        workers=1,
    )
    packed = analyse(
        [path],
        fmt="squid",
        catalogue=catalogue,
        identities=identities,
        calendar=calendar,
        workers=1,
    )
    assert packed.rows() == plain.rows()
    assert packed.sources[0].compression == kind
    assert packed.unparsed_lines == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bz2.compress(b"x\n"), "bzip2"),
        (b"\x1f\x8bnot really gzip", "cannot decompress"),
        ("Time,URL\r\n".encode("utf-16"), "line 1: the file is UTF-16 text .* 'CSV UTF-8'"),
        ("Time,URL\r\n".encode("utf-16-be"), "not a text log"),
    ],
)
def test_bad_files_raise_one_error_naming_the_file(
    content, message, tmp_path, catalogue, identities, calendar
):
    path = tmp_path / "bad.log"
    path.write_bytes(content)
    with pytest.raises(WeblogsError, match=message) as info:
        analyse(
            [path],
            fmt="squid",
            catalogue=catalogue,
            identities=identities,
            calendar=calendar,
            workers=1,
        )
    assert "bad.log" in str(info.value)


def test_missing_file_is_named(tmp_path, catalogue, identities, calendar):
    with pytest.raises(WeblogsError, match=r"nope\.log"):
        analyse(
            [tmp_path / "nope.log"],
            fmt="squid",
            catalogue=catalogue,
            identities=identities,
            calendar=calendar,
            workers=1,
        )


def test_sources_record_their_sha256(tmp_path, catalogue, identities, calendar):
    import hashlib

    path = tmp_path / "copy.log"
    shutil.copy(SAMPLES / "squid.log", path)
    result = analyse(
        [path],
        fmt="squid",
        catalogue=catalogue,
        identities=identities,
        calendar=calendar,
        workers=1,
    )
    assert result.sources[0].sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert len(result.rules_fingerprint) == 64
