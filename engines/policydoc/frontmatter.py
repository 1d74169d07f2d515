"""What comes before clause 1: title, school, model policy, dates and preamble.

Schools lay this out every way (a title block, a table of dates, a sentence saying the
governors adopted the policy on a day), so each line is classified on its own words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from engines.policydoc.blocks import Block, join_lines
from engines.policydoc.dates import find_dates, parse_date
from engines.policydoc.model import PartialDate

_DATE_LABELS: list[tuple[str, re.Pattern[str]]] = [
    ("", re.compile(r"\blast\s+review", re.IGNORECASE)),
    (
        "next_review",
        re.compile(
            r"\bnext\s+review|\breview\s+(?:date|due)|\bdue\s+for\s+review"
            r"|\bto\s+be\s+reviewed|\breview\b(?!ed)",
            re.IGNORECASE,
        ),
    ),
    ("ratified", re.compile(r"\bratif|\bapprov|\bagreed\b|\bsigned\s+off", re.IGNORECASE)),
    ("adopted", re.compile(r"\badopt|\beffective\b|\bimplemented\b|\bin\s+force", re.IGNORECASE)),
    ("written", re.compile(r"\bwritten\b|\bdrafted\b|\bprepared\b|\bcreated\b", re.IGNORECASE)),
]
_ORG_WORDS = re.compile(
    r"\b(?:school|academy|college|nursery|federation|infants?|juniors?|pre-?school"
    r"|sixth\s+form)\b",
    re.IGNORECASE,
)
_AUTHORITY_WORDS = re.compile(
    r"\b(?:council|authority|diocese|diocesan|trust|borough|county)\b", re.IGNORECASE
)
_TITLE_WORDS = re.compile(r"\b(?:policy|procedures?|code\s+of\s+conduct|guidance)\b", re.IGNORECASE)
_ADOPTER = re.compile(
    r"\b(?:governing\s+body|governing\s+board|governors|trustees|board)\s+of\s+(?:the\s+)?"
    r"(?P<org>[A-Z][^,.;:]*?)\s+(?:has\s+|have\s+)?(?:formally\s+)?"
    r"(?:adopted|ratified|approved|agreed)\b",
)
_SKIP_LINES = re.compile(r"^(?:table\s+of\s+)?contents$|\.{4,}\s*\d+$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u2018\u201c'\"])")


@dataclass
class FrontMatter:
    title: str | None = None
    organisation: str | None = None
    model_title: str | None = None
    dates: dict[str, PartialDate] = field(default_factory=dict)
    preamble: str = ""


@dataclass(frozen=True)
class _Line:
    text: str
    group: int


def _date_slot(text: str) -> str | None:
    for slot, pattern in _DATE_LABELS:
        if pattern.search(text):
            return slot or None
    return None


def _take_date(text: str, front: FrontMatter) -> bool:
    """Record a labelled date ("Date of next review: September 2024"); True if it was one."""
    matches = find_dates(text)
    if not matches:
        return False
    label = text[: matches[0].start] or text[matches[0].end :]
    slot = _date_slot(label) or _date_slot(text)
    if slot is None:
        return False
    front.dates.setdefault(slot, matches[0].date)
    adopter = _ADOPTER.search(text)
    if adopter and front.organisation is None:
        front.organisation = adopter["org"].strip()
    return True


def _is_title_line(line: str) -> bool:
    words = line.split()
    if not words or len(words) > 16:
        return False
    return not line.endswith((".", ";", ",")) or line.upper() == line


def _grouped_lines(blocks: Sequence[Block]) -> list[list[str]]:
    """Lines per block; a date standing alone (a table cell, or "Date written:" on the line
    before) is joined to the label before it."""
    groups: list[list[str]] = []
    for block in blocks:
        lines: list[str] = []
        for raw in block.text.split("\n"):
            line = raw.strip()
            if not line or _SKIP_LINES.search(line):
                continue
            if parse_date(line) is not None:
                target = lines or (groups[-1] if groups else [])
                if target and not find_dates(target[-1]) and _date_slot(target[-1]):
                    target[-1] = f"{target[-1].rstrip(' :')}: {line}"
                    continue
            lines.append(line)
        if lines:
            groups.append(lines)
    return groups


def read_front_matter(blocks: Sequence[Block]) -> FrontMatter:
    front = FrontMatter()
    title_lines: list[_Line] = []
    preamble: list[str] = []
    for group, lines in enumerate(_grouped_lines(blocks)):
        remaining = [
            line for line in lines if not (_is_title_line(line) and _take_date(line, front))
        ]
        if not remaining:
            continue
        if all(_is_title_line(line) for line in remaining):
            title_lines.extend(_Line(line, group) for line in remaining)
            continue
        sentences = _SENTENCE_END.split(join_lines("\n".join(remaining)))
        kept = [s for s in sentences if not _take_date(s, front)]
        if kept:
            preamble.append(" ".join(kept))
    _read_titles(title_lines, front)
    front.preamble = "\n\n".join(preamble)
    return front


def _read_titles(lines: list[_Line], front: FrontMatter) -> None:
    used: set[int] = set()
    for index, line in enumerate(lines):
        if _ORG_WORDS.search(line.text) and not _TITLE_WORDS.search(line.text):
            if front.organisation is None:
                front.organisation = line.text
            if line.text.casefold() == front.organisation.casefold():
                used.add(index)
    if front.organisation is not None:
        org = front.organisation.casefold()
        used.update(i for i, line in enumerate(lines) if line.text.casefold() == org)
    model = next(
        (i for i, line in enumerate(lines) if re.search(r"\bmodel\b", line.text, re.IGNORECASE)),
        None,
    )
    if model is not None:
        start = model
        while (
            start > 0
            and start - 1 not in used
            and _AUTHORITY_WORDS.search(lines[start - 1].text)
            and not _TITLE_WORDS.search(lines[start - 1].text)
        ):
            start -= 1
        end = model
        while end + 1 < len(lines) and lines[end + 1].group == lines[model].group:
            end += 1
        chosen = range(start, end + 1)
        front.model_title = " ".join(lines[i].text for i in chosen)
        used.update(chosen)
    free = [i for i in range(len(lines)) if i not in used]
    if not free:
        return
    pick = next((i for i in free if _TITLE_WORDS.search(lines[i].text)), free[0])
    run = [pick]
    while run[0] - 1 in free and lines[run[0] - 1].group == lines[pick].group:
        run.insert(0, run[0] - 1)
    while run[-1] + 1 in free and lines[run[-1] + 1].group == lines[pick].group:
        run.append(run[-1] + 1)
    front.title = " ".join(lines[i].text for i in run)
