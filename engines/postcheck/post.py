"""A post read once: its tokens, sentences, the people it names and its model score.

Every rule reads this shared analysis instead of re-tokenising, which keeps a check
to one pass over the text however many rules there are.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from engines.postcheck.context import Context
from engines.postcheck.model import OffensiveModel
from engines.postcheck.names import Mention, NameIndex, Token, tokenise

_SENTENCE_END = re.compile(r"[.!?]+(?:\s+|$)|\n+")


@dataclass(frozen=True)
class Post:
    text: str
    audience: str
    local_time: datetime | None
    context: Context
    tokens: tuple[Token, ...]
    sentences: tuple[tuple[int, int], ...]
    mentions: tuple[Mention, ...]
    other_names: tuple[Mention, ...]
    offensive: float
    model: OffensiveModel

    def sentence_at(self, position: int) -> tuple[int, int]:
        for start, end in self.sentences:
            if start <= position < end:
                return start, end
        return self.sentences[-1] if self.sentences else (0, len(self.text))

    def same_sentence(self, a: int, b: int) -> bool:
        return self.sentence_at(a) == self.sentence_at(b)

    def mentions_with_role(self, *roles: str) -> list[Mention]:
        return [m for m in self.mentions if m.roles() & set(roles)]


def read_post(
    text: str,
    audience: str,
    local_time: datetime | None,
    context: Context,
    index: NameIndex,
    offensive: float,
    model: OffensiveModel,
) -> Post:
    tokens = tokenise(text)
    mentions = index.roster_mentions(text, tokens)
    return Post(
        text=text,
        audience=audience,
        local_time=local_time,
        context=context,
        tokens=tuple(tokens),
        sentences=tuple(_sentences(text)),
        mentions=tuple(mentions),
        other_names=tuple(index.other_names(text, tokens, mentions)),
        offensive=offensive,
        model=model,
    )


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    if start < len(text) or not spans:
        spans.append((start, len(text)))
    return spans
