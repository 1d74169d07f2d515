"""Phrase lists are matched against lower-cased text, so a capital in one never matches."""

import re

import pytest

from engines.postcheck import lexicon, targets
from engines.postcheck.rules import (
    audience,
    contact_details,
    defamation,
    derogatory,
    former_pupils,
    pupil_data,
    requests_to_pupils,
)

MODULES = [targets, audience, contact_details, defamation, derogatory, former_pupils,
           pupil_data, requests_to_pupils]  # fmt: skip


def all_lexicons() -> list[tuple[str, lexicon.Lexicon]]:
    found = []
    for module in MODULES:
        for name, value in vars(module).items():
            values = value.values() if isinstance(value, dict) else [value]
            for item in values:
                item = item[0] if isinstance(item, tuple) else item
                if isinstance(item, lexicon.Lexicon):
                    found.append((f"{module.__name__}.{name}", item))
    return found


@pytest.mark.parametrize(
    ("name", "lex"), all_lexicons(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_patterns_are_lower_case(name: str, lex: lexicon.Lexicon) -> None:
    for pattern in lex.patterns:
        bare = re.sub(r"\\[A-Za-z]", "", pattern)
        assert bare == bare.lower(), (name, pattern)


def test_hits_keep_offsets_and_original_words() -> None:
    lex = lexicon.lexicon([r"parents?"], not_after=["my"])
    text = "The PARENTS came, my parents too"
    assert [(h.start, h.end, h.words) for h in lex.hits(text)] == [(4, 11, "PARENTS")]
