"""The audit chain's head can be kept elsewhere, and the chain checked against it later: a
chain cut short or rebuilt, however consistent in itself, no longer holds that head."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from boundaries.cli import app
from boundaries.core import actions as core_actions
from boundaries.core import audit
from boundaries.core.roles import Role
from tests.cast import Cast
from tests.security.test_audit_chain_proof import make_chain

HEAD_LINE = re.compile(r"audit-head seq=(\d+) hash=([0-9a-f]{64})")


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["audit", *args])
    return result.exit_code, result.output


def test_the_head_is_printed_on_one_stable_line_and_verifies(cast: Cast) -> None:
    code, output = _cli("head")
    assert code == 0
    found = HEAD_LINE.fullmatch(output.strip())
    assert found, output
    last = audit.head()
    assert (int(found[1]), found[2]) == (last.seq, last.hash) and last.seq > 0
    assert _cli("verify", "--head", output.strip()) == (0, f"intact ({last.seq} events)\n")


def test_a_kept_head_still_verifies_after_more_events(cast: Cast) -> None:
    kept = _cli("head")[1].strip()
    core_actions.grant_role(cast.teacher, cast.school, Role.GOVERNOR, actor=cast.head)
    code, output = _cli("verify", "--head", kept)
    assert code == 0 and output.startswith("intact"), output


def test_a_chain_that_does_not_hold_the_kept_head_is_refused(cast: Cast) -> None:
    last = audit.head()
    rebuilt = audit.Head(last.seq, "0" * 64)
    code, output = _cli("verify", "--head", str(rebuilt))
    assert code == 1
    assert f"broken at event #{last.seq}: it differs from the kept head" in output
    beyond = audit.Head(last.seq + 5, last.hash)
    code, output = _cli("verify", "--head", str(beyond))
    assert code == 1
    assert f"broken at event #{last.seq + 1}: events up to the kept head were removed" in output


def test_a_malformed_kept_head_is_refused_before_anything_is_read(db: None) -> None:
    code, output = _cli("verify", "--head", "seq=3 hash=abc")
    assert code == 2
    assert "not an audit head" in output


def _with_head(rows: list[dict[str, object]]) -> tuple[int, str]:
    return int(rows[-1]["seq"]), str(rows[-1]["hash"])  # type: ignore[call-overload]


@pytest.mark.parametrize("kept_at", [1, 15, 20])
def test_a_truncated_chain_with_its_head_moved_back_is_found_by_the_kept_head(
    kept_at: int,
) -> None:
    chain = make_chain(20)
    kept = audit.Head(kept_at, str(chain[kept_at - 1]["hash"]))
    assert audit.verify_rows(chain, _with_head(chain), kept).intact
    cut = chain[:12]
    assert audit.verify_rows(cut, _with_head(cut)).intact  # consistent in itself
    report = audit.verify_rows(cut, _with_head(cut), kept)
    assert report.intact is (kept_at <= 12)


def test_a_chain_rebuilt_from_the_start_is_found_by_the_kept_head() -> None:
    original = make_chain(20)
    kept = audit.Head(20, str(original[-1]["hash"]))
    rebuilt = make_chain(25)
    for row in rebuilt:
        row["actor_label"] = "rebuilt"
    prev = audit.GENESIS
    for row in rebuilt:
        fields = {k: row[k] for k in row if k not in {"prev_hash", "hash"}}
        row["prev_hash"], row["hash"] = prev, audit.chain_hash(prev, audit.event_fields(**fields))
        prev = str(row["hash"])
    assert audit.verify_rows(rebuilt, _with_head(rebuilt)).intact
    report = audit.verify_rows(rebuilt, _with_head(rebuilt), kept)
    assert not report.intact and report.broken_at == 20
