"""Who a post is about: the school community as groups, and the school itself.

Derogatory language is a 4.1(iii) matter only when aimed at one of these (or at a
named person); the same words about one's week, the weather or a football referee are not.
"""

import re
from functools import cache

from engines.postcheck.lexicon import Hit, Lexicon, lexicon
from engines.postcheck.post import Post

_OWN = ("my", "our", "his", "her", "their", "your", "own", "grand", "foster", "in-law")

PUPILS = lexicon(
    [
        r"pupils?",
        r"students?",
        r"my (?:class|form|set)(?:es)?",
        r"our class",
        r"(?:the|these|those|some of (?:the|these|those)|this year's) (?:kids|children|brats)",
        r"kids (?:in|at|from) (?:my|our|the|this|year|yr|reception|class)(?: \w+)?",
        r"(?:year|yr) ?\d{1,2}s?",
        r"reception (?:class|kids|children)",
        r"class \d",
        r"the little ones",
        r"my lot",
    ]
)
PARENTS = lexicon(
    [
        r"parents?",
        r"carers?",
        r"mums?",
        r"dads?",
        r"mams?",
        r"school mums",
        r"families",
        r"mothers",
        r"fathers",
        r"the school gate",
    ],
    not_after=_OWN,
)
STAFF = lexicon(
    [
        r"colleagues?",
        r"staff",
        r"(?:the|our|my) head",
        r"head ?teachers?",
        r"the deputy",
        r"slt",
        r"senior leadership(?: team)?",
        r"management",
        r"governors?",
        r"tas",
        r"teaching assistants?",
        r"teachers",
        r"(?:my|our) (?:boss|line manager)",
        r"the caretaker",
        r"the office",
        r"senco",
    ]
)
SCHOOL_WORDS = (r"(?:the|this|my|our) school", r"this place", r"the academy", r"work")

GROUP_LABELS = {"pupils": "pupils", "parents": "parents and carers", "staff": "colleagues"}


def group_targets(post: Post) -> list[tuple[str, Hit]]:
    """Every mention of a school group or the school itself, labelled by who it is."""
    found = [
        (label, hit)
        for label, lex in (("pupils", PUPILS), ("parents", PARENTS), ("staff", STAFF))
        for hit in lex.hits(post.text)
    ]
    found.extend(("school", hit) for hit in school_lexicon(post).hits(post.text))
    return found


def school_lexicon(post: Post) -> Lexicon:
    return _school_lexicon(post.context.organisation.name, post.context.organisation.aliases)


@cache
def _school_lexicon(name: str, aliases: tuple[str, ...]) -> Lexicon:
    own = [re.escape(n.lower()).replace(r"\ ", r"\s+") for n in (name, *aliases)]
    first_word = re.escape(name.split()[0].lower())
    return lexicon([*SCHOOL_WORDS, *own, first_word])
