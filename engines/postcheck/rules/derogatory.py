"""4.1(iii): derogatory content about the school, colleagues, pupils or parents, and
content that brings the school into disrepute or questions fitness to work with children.

The trained model's score counts only when the post is about a school target, so
"what a shit week" passes while "the parents here are thick as mince" does not. Conduct
that calls fitness into question (drugs, sexual content, threats, hate, heavy drinking)
needs no target and is found by phrase lists.
"""

from engines.postcheck.lexicon import Hit, Lexicon, lexicon
from engines.postcheck.post import Post
from engines.postcheck.rules.defamation import INSULTS, damaging_words
from engines.postcheck.targets import GROUP_LABELS, group_targets
from engines.postcheck.verdict import Finding, Severity

GROUP_SLURS = lexicon(
    [
        r"shouldn'?t be allowed to (?:breed|have (?:kids|children))",
        r"should be sterili[sz]ed",
        r"inbred",
        r"chavs?",
        r"feral",
        r"brats?",
        r"animals",
        r"trash",
        r"lowlifes?",
        r"parasites?",
        r"scroungers?",
        r"spawn",
        r"little (?:shits|sods|gits|buggers|horrors|bastards)",
        r"dregs",
        r"knuckle[- ]draggers?",
        r"(?:i )?(?:hate|can'?t stand|despise|loathe)",
        r"thick",
        r"gene pool",
        r"unteachable",
        r"hopeless cases?",
    ]
)
IDENTITY_GROUPS = lexicon(
    [
        r"immigrants",
        r"migrants",
        r"refugees",
        r"asylum seekers",
        r"muslims",
        r"jews",
        r"gays",
        r"gay people",
        r"trans (?:people|women|men)",
        r"blacks",
        r"asians",
        r"gypsies",
        r"travellers",
        r"foreigners",
        r"disabled people",
        r"women",
        r"poles",
        r"romanians",
        r"pakis",
    ]
)
HATE_PHRASES = lexicon(
    [
        r"go back to (?:your|their) own country",
        r"should (?:all )?be (?:sent back|deported|gassed|shot)",
        r"sent back",
        r"kicked out of (?:the country|britain|england)",
    ]
)
CONDUCT = {
    "intoxication": (
        lexicon(
            [
                r"off (?:my|our) (?:face|heads?|tits)",
                r"blackout drunk",
                r"paralytic",
                r"still drunk",
                r"drunk (?:at|in) (?:work|school|class)",
                r"hungover (?:at|in) (?:work|school|class)",
                r"(?:so|totally|absolutely|completely|proper|steaming) "
                r"(?:drunk|hammered|smashed(?! it)|wasted|battered|trollied|bladdered|legless|"
                r"pissed)",
                r"shit-?faced",
                r"can'?t remember (?:last night|getting home)",
                r"wasted (?:last night|again)",
            ]
        ),
        "heavy drinking",
    ),
    "drugs": (
        lexicon(
            [
                r"cocaine",
                r"(?<!diet )(?<!cherry )(?<!of )coke(?! zero)(?! can)",
                r"lines? of (?:coke|charlie)",
                r"mdma",
                r"ecstasy",
                r"ketamine",
                r"ket",
                r"weed",
                r"spliffs?",
                r"getting high",
                r"got high",
                r"stoned",
                r"pingers?",
                r"skunk",
                r"edibles",
                r"magic mushrooms",
                r"shrooms",
                r"lsd",
                r"crack",
                r"charlie",
                r"a dealer",
                r"my dealer",
            ]
        ),
        "illegal drugs",
    ),
    "sexual": (
        lexicon(
            [
                r"only ?fans",
                r"porn\w*",
                r"nudes?",
                r"xxx",
                r"sexting",
                r"horny",
                r"sugar daddy",
                r"escort(?:ing)?",
                r"adult content",
                r"spicy content",
                r"18\+ content",
                r"camgirl",
                r"strip ?club",
                r"my of page",
            ]
        ),
        "sexual content",
    ),
    "threat": (
        lexicon(
            [
                r"(?:i'?ll|i will|gonna|going to|want to|wanna|i'?d|i could|i swear i'?ll) "
                r"(?:kill|stab|punch|batter|smack|slap|deck|hit|hurt|strangle|shoot|throttle|"
                r"knock out|"
                r"beat up|glass) "
                r"(?:him|her|them|you|that|the|this|those|these|some|his|their|every|whoever|anyone|[a-z]+'s)\b",
                r"deserves? a (?:good )?(?:slap|punch|kicking|hiding|beating|smack)",
                r"needs? a (?:good )?(?:slap|punch|kicking|smack|hiding)",
                r"(?:kick|smash|punch) (?:his|her|their|your) (?:head|face)s? in",
                r"burn (?:it|the school|the place|this place) down",
            ]
        ),
        "threats of violence",
    ),
}


def find(post: Post) -> list[Finding]:
    findings = _conduct(post)
    findings.extend(_hate(post))
    targets = group_targets(post)
    derogatory_hit = False
    for label, target in targets:
        hit = _same_sentence(post, GROUP_SLURS, target) or _same_sentence(post, INSULTS, target)
        if hit is not None:
            findings.append(_about_group(label, target, hit, "stop"))
            derogatory_hit = True
            break
    for mention in post.mentions:
        found = damaging_words(post, mention.start)
        if found is not None and not mention.ambiguous:
            findings.append(_about_person(mention.start, mention.end, found[1], mention.roles()))
            derogatory_hit = True
            break
    model = post.model
    if not derogatory_hit and targets and post.offensive >= model.caution_threshold:
        label, target = targets[0]
        worst = _word_span(post, model.worst_word(post.text)) or target
        severity: Severity = "stop" if post.offensive >= model.stop_threshold else "caution"
        findings.append(_about_group(label, target, worst, severity, score=post.offensive))
    return findings


def _word_span(post: Post, word: str | None) -> Hit | None:
    if word is None:
        return None
    at = post.text.lower().replace("\u2019", "'").find(word)
    return Hit(at, at + len(word), post.text[at : at + len(word)]) if at >= 0 else None


def _same_sentence(post: Post, lex: Lexicon, target: Hit) -> Hit | None:
    start, end = post.sentence_at(target.start)
    for hit in lex.hits(post.text[start:end]):
        return Hit(hit.start + start, hit.end + start, hit.words)
    return None


def _conduct(post: Post) -> list[Finding]:
    findings = []
    for kind, (lex, what) in CONDUCT.items():
        hit = lex.first(post.text)
        if hit is not None:
            findings.append(
                Finding(
                    clause="4.1(iii)",
                    code=f"disrepute.{kind}",
                    start=hit.start,
                    end=hit.end,
                    message=(
                        f"Posts about {what} can bring the school into disrepute and call into "
                        "question your suitability to work with children."
                    ),
                    suggestion=(
                        "Leave this out of anything you post, even to friends: posts get shared."
                    ),
                    severity="stop",
                )
            )
    return findings


def _hate(post: Post) -> list[Finding]:
    for group in IDENTITY_GROUPS.hits(post.text):
        hit = (
            _same_sentence(post, GROUP_SLURS, group)
            or _same_sentence(post, INSULTS, group)
            or _same_sentence(post, HATE_PHRASES, group)
        )
        if hit is not None:
            return [
                Finding(
                    clause="4.1(iii)",
                    code="disrepute.hate",
                    start=min(group.start, hit.start),
                    end=max(group.end, hit.end),
                    message="This is hostile to a group of people for who they are.",
                    suggestion=(
                        "Don't post it. Disagree with a policy, never with people for who they are."
                    ),
                    severity="stop",
                )
            ]
    return []


def _about_group(
    label: str, target: Hit, words: Hit, severity: Severity, score: float | None = None
) -> Finding:
    who = GROUP_LABELS.get(label, "the school")
    why = f" (offensive-language score {score:.2f})" if score is not None else ""
    return Finding(
        clause="4.1(iii)",
        code="derogatory.model" if score is not None else f"derogatory.{label}",
        start=min(target.start, words.start),
        end=max(target.end, words.end),
        message=f"This is derogatory about {who}{why}.",
        suggestion=(
            'Say what happened without judging the people: "a tough parents\' evening" '
            "rather than words about the parents themselves. Better still, talk it through offline."
        ),
        severity=severity,
    )


def _about_person(start: int, end: int, words: Hit, roles: frozenset[str]) -> Finding:
    who = {"pupil": "a pupil", "parent": "a parent", "staff": "a colleague"}
    named = " or ".join(sorted(who.get(r, "a former pupil") for r in roles))
    return Finding(
        clause="4.1(iii)",
        code="derogatory.person",
        start=min(start, words.start),
        end=max(end, words.end),
        message=f"This is derogatory about {named} from the school community.",
        suggestion="Don't post it; raise any concern privately through the school's procedures.",
        severity="stop",
    )
