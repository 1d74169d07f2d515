"""Clause-by-clause differences between two versions, aligned on the clause numbers."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from boundaries.policies.models import Clause, PolicyVersion

_TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff_html(old: str, new: str) -> SafeString:
    """Both texts as one, with removed words in <del> and added ones in <ins>."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    parts: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


@dataclass(frozen=True)
class ClauseDiff:
    number: str
    anchor: str
    depth: int
    state: str  # "added", "removed", "changed", "unchanged"
    heading: str
    text_html: SafeString
    notes_html: list[SafeString]

    @property
    def changed(self) -> bool:
        return self.state != "unchanged"


def _body(clause: Clause) -> tuple[str, str, list[str]]:
    return clause.heading, clause.text, [n.text for n in clause.notes.all()]


def diff_versions(old: PolicyVersion, new: PolicyVersion) -> list[ClauseDiff]:
    old_clauses = {c.number: c for c in old.clauses.prefetch_related("notes")}
    new_list = list(new.clauses.prefetch_related("notes").order_by("position"))
    new_numbers = {c.number for c in new_list}
    result: list[ClauseDiff] = []
    ordered: list[tuple[Clause | None, Clause | None]] = [
        (old_clauses.get(c.number), c) for c in new_list
    ]
    for number, clause in old_clauses.items():
        if number not in new_numbers:
            ordered.append((clause, None))
    for before, after in ordered:
        ref = after or before
        assert ref is not None
        old_h, old_t, old_n = _body(before) if before else ("", "", [])
        new_h, new_t, new_n = _body(after) if after else ("", "", [])
        if before is None:
            state = "added"
        elif after is None:
            state = "removed"
        elif (old_h, old_t, old_n) == (new_h, new_t, new_n):
            state = "unchanged"
        else:
            state = "changed"
        notes = [
            word_diff_html(old_n[i] if i < len(old_n) else "", new_n[i] if i < len(new_n) else "")
            for i in range(max(len(old_n), len(new_n)))
        ]
        result.append(
            ClauseDiff(
                number=ref.number,
                anchor=ref.anchor,
                depth=ref.depth,
                state=state,
                heading=new_h or old_h,
                text_html=word_diff_html(old_t, new_t),
                notes_html=notes,
            )
        )
    return result
