"""Hashed word and character n-gram features for the offensive-language model.

Training (scikit-learn, offline) and scoring (numpy, at run time) both call this one
function, so the two can never disagree about what a feature is. Features are hashed
with CRC-32 because it is stable across Python versions and processes (unlike ``hash``)
and implemented in C in the standard library.
"""

import itertools
import re
import zlib
from functools import lru_cache

N_BITS = 18
MASK = (1 << N_BITS) - 1
CHAR_NGRAMS = (3, 4, 5)

_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@\w+")
_REPEAT = re.compile(r"(.)\1{2,}")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def normalise(text: str) -> str:
    """Lower-case and blank out what varies between sources but says nothing about tone."""
    text = _URL.sub(" url ", text.lower().replace("\u2019", "'"))
    text = _MENTION.sub(" @user ", text)
    return _REPEAT.sub(r"\1\1", text)


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


@lru_cache(maxsize=65536)
def word_features(word: str) -> tuple[int, ...]:
    """The hashed unigram and character n-grams of one word; cached as words repeat."""
    padded = f" {word} "
    grams = [f"w:{word}"]
    for n in CHAR_NGRAMS:
        grams.extend(f"c:{padded[i : i + n]}" for i in range(len(padded) - n + 1))
    return tuple(zlib.crc32(g.encode()) & MASK for g in grams)


def feature_indices(text: str) -> list[int]:
    """Sorted distinct feature indices of ``text`` (binary bag of hashed n-grams)."""
    tokens = words(text)
    found: set[int] = set()
    for word in tokens:
        found.update(word_features(word))
    for first, second in itertools.pairwise(tokens):
        found.add(zlib.crc32(f"b:{first} {second}".encode()) & MASK)
    return sorted(found)


def word_feature_index(word: str) -> int:
    return zlib.crc32(f"w:{word}".encode()) & MASK
