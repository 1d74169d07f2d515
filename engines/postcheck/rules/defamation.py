"""4.1(vi): a named individual — on the roster or not — beside a damaging allegation or
an insult in the same sentence. Names not on the roster are found heuristically
(titles, capitalised names), so this rule can be cautious about strangers too."""

from engines.postcheck.lexicon import Hit, lexicon
from engines.postcheck.names import Mention
from engines.postcheck.post import Post
from engines.postcheck.verdict import Finding

ALLEGATIONS = lexicon(
    [
        r"stole",
        r"steal(?:s|ing)?",
        r"thie(?:f|ves|ving)",
        r"theft",
        r"fraud\w*",
        r"crooks?",
        r"corrupt",
        r"liars?",
        r"lying",
        r"(?:is|was|gets|got|turned up) (?:\w+ )?drunk",
        r"drunk (?:at|in|on) \w+",
        r"on drugs",
        r"(?:having|had) an affair",
        r"sleeping with",
        r"abus(?:es|ed|ive|er|ing)",
        r"hits (?:his|her|their) (?:kids|children|wife|husband|partner)",
        r"beats (?:his|her|their) \w+",
        r"paedo\w*",
        r"pedo\w*",
        r"nonce",
        r"racist",
        r"bull(?:y|ies|ied)",
        r"cheat(?:s|ed|ing)?",
        r"fiddl(?:es|ed|ing)",
        r"rips? (?:people |pensioners |everyone )?off",
        r"dodgy",
        r"scam(?:s|mer|ming)?",
        r"criminal",
        r"arrested",
        r"(?:should be|got|getting) sacked",
        r"embezzl\w*",
        r"fake sick",
        r"pulls? sickies",
        r"hit a (?:child|pupil|kid)",
        r"drink[- ]driv\w+",
        r"backhanders?",
        r"bribes?",
    ]
)
INSULTS = lexicon(
    [
        r"idiots?",
        r"morons?",
        r"prats?",
        r"twats?",
        r"dickheads?",
        r"knobheads?",
        r"wankers?",
        r"waste(?:s)? of (?:space|oxygen)",
        r"pathetic",
        r"useless",
        r"incompetent",
        r"clowns?",
        r"scum",
        r"vermin",
        r"halfwits?",
        r"imbeciles?",
        r"cretins?",
        r"thick as \w+",
        r"brain ?dead",
        r"lowlifes?",
        r"gobshites?",
        r"disgusting",
        r"vile",
        r"spineless",
        r"a joke",
        r"stupid",
        r"dumb",
        r"ugly",
        r"fat cow",
        r"(?:a|an|total|absolute) (?:cow|bitch|pig|snake|witch)",
    ]
)


def damaging_words(post: Post, position: int) -> tuple[str, Hit] | None:
    """The first allegation or insult in the sentence holding ``position``."""
    start, end = post.sentence_at(position)
    sentence = post.text[start:end]
    for kind, lex in (("allegation", ALLEGATIONS), ("insult", INSULTS)):
        for hit in lex.hits(sentence):
            if not start + hit.start <= position < start + hit.end:
                return kind, Hit(hit.start + start, hit.end + start, hit.words)
    return None


def find(post: Post) -> list[Finding]:
    findings = []
    for mention in (*post.mentions, *post.other_names):
        found = damaging_words(post, mention.start)
        if found is not None:
            findings.append(_finding(mention, *found))
    return findings


def _finding(mention: Mention, kind: str, words: Hit) -> Finding:
    shared = mention.ambiguous
    return Finding(
        clause="4.1(vi)",
        code=f"defamation.{kind}",
        start=min(mention.start, words.start),
        end=max(mention.end, words.end),
        message=(
            f"This names someone beside {'an allegation' if kind == 'allegation' else 'an insult'} "
            f'("{words.words}") that could harm their reputation'
            + (" — the name is shared, so check who is meant." if shared else ".")
        ),
        suggestion=(
            "Don't post it. If something is wrong, raise it privately with the person, your "
            "line manager or the proper authority."
        ),
        severity="caution" if shared else "stop",
    )
