"""5: data about identifiable pupils and their families — behaviour, health, SEN,
family circumstances, social care — and naming pupils in public posts."""

from engines.postcheck.lexicon import Hit, lexicon
from engines.postcheck.names import Mention
from engines.postcheck.post import Post
from engines.postcheck.verdict import Finding

SENSITIVE = {
    "behaviour": lexicon(
        [
            r"excluded",
            r"exclusions?",
            r"suspended",
            r"suspension",
            r"detentions?",
            r"kicked off",
            r"meltdowns?",
            r"behaviour plan",
            r"restrained",
            r"in isolation",
            r"bit (?:a|another) (?:child|kid|pupil)",
            r"hit (?:a|another) (?:child|kid|pupil)",
            r"red card",
            r"on report",
        ]
    ),
    "health": lexicon(
        [
            r"adhd",
            r"autism",
            r"autistic",
            r"asd",
            r"diabet(?:es|ic)",
            r"epilep(?:sy|tic)",
            r"asthma",
            r"anaphyla\w*",
            r"epi-?pen",
            r"medication",
            r"diagnos(?:ed|is)",
            r"cancer",
            r"self[- ]harm\w*",
            r"eating disorder",
            r"anxiety",
            r"depress(?:ed|ion)",
            r"camhs",
            r"head lice",
            r"nits",
            r"wet (?:him|her)self",
            r"soiled",
            r"allerg(?:y|ies|ic)",
            r"seizures?",
        ]
    ),
    "sen": lexicon(
        [
            r"send?",
            r"ehcp",
            r"ehc plan",
            r"iep",
            r"dyslexi[ac]",
            r"dyspraxi[ac]",
            r"statemented",
            r"speech and language",
            r"one[- ]to[- ]one support",
            r"special needs",
        ]
    ),
    "family": lexicon(
        [
            r"prison",
            r"jail",
            r"divorc\w*",
            r"split up",
            r"custody",
            r"in care",
            r"foster\w*",
            r"bailiffs",
            r"evicted",
            r"homeless",
            r"on benefits",
            r"free school meals",
            r"fsm",
            r"pupil premium",
            r"domestic (?:abuse|violence)",
            r"passed away",
            r"bereave\w*",
            r"rehab",
            r"arrested",
            r"alcoholic",
            r"drinks too much",
            r"food ?bank",
        ]
    ),
    "social_care": lexicon(
        [
            r"social services",
            r"social workers?",
            r"child protection",
            r"cp plan",
            r"child in need",
            r"cin",
            r"lado",
            r"mash",
            r"early help",
            r"safeguarding (?:concern|referral)s?",
            r"looked after",
            r"lac",
            r"police",
            r"referr(?:al|ed)",
        ]
    ),
}
_LABELS = {
    "behaviour": "behaviour",
    "health": "health",
    "sen": "special educational needs",
    "family": "family circumstances",
    "social_care": "social care or safeguarding",
}


def find(post: Post) -> list[Finding]:
    findings = []
    pupils = post.mentions_with_role("pupil")
    for mention in pupils:
        hit = _sensitive_near(post, mention)
        if hit is not None:
            kind, words = hit
            findings.append(_data_finding(mention, words, kind))
    if post.audience == "public":
        for mention in pupils:
            if not mention.ambiguous:
                findings.append(_named_publicly(mention))
    return findings


def _sensitive_near(post: Post, mention: Mention) -> tuple[str, Hit] | None:
    start, end = post.sentence_at(mention.start)
    sentence = post.text[start:end]
    for kind, lex in SENSITIVE.items():
        hit = lex.first(sentence)
        if hit is not None:
            return kind, Hit(hit.start + start, hit.end + start, hit.words)
    return None


def _data_finding(mention: Mention, words: Hit, kind: str) -> Finding:
    who = " or ".join(p.name for p in mention.people)
    note = " (the name is shared, so check who is meant)" if mention.ambiguous else ""
    return Finding(
        clause="5",
        code=f"pupil_data.{kind}",
        start=min(mention.start, words.start),
        end=max(mention.end, words.end),
        message=f"This shares {_LABELS[kind]} information about a pupil ({who}){note}.",
        suggestion=(
            "Don't share pupil information on social media or in staff chat groups; "
            "use the school's secure systems or speak to the SENCO or DSL."
        ),
        severity="caution" if mention.ambiguous else "stop",
    )


def _named_publicly(mention: Mention) -> Finding:
    return Finding(
        clause="5",
        code="pupil_data.named_publicly",
        start=mention.start,
        end=mention.end,
        message="This names a pupil in a public post.",
        suggestion=(
            'Leave the name out ("one of our Year 5s") or let the school share it '
            "on its own page, with consent."
        ),
        severity="caution",
    )
