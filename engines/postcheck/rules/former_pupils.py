"""4.1(v): online contact with former pupils, which matters most while they are under 18."""

from engines.postcheck.lexicon import lexicon
from engines.postcheck.names import Mention
from engines.postcheck.post import Post
from engines.postcheck.rules.audience import FORMER
from engines.postcheck.verdict import Finding

CONTACT = lexicon(
    [
        r"(?:messaged|texted|dm'?e?d|inboxed|snapped|whatsapped|emailed|added|followed) me",
        r"(?:friend|follow) requests?",
        r"chatting (?:with|to)",
        r"catch(?:ing)? up",
        r"meet(?:ing)? up",
        r"message (?:me|her|him|them)",
        r"sent me",
        r"keep in touch",
        r"on (?:facebook|insta\w*|snap\w*|tiktok|whatsapp)",
        r"add(?:ed)? (?:her|him|them)",
    ]
)


def find(post: Post) -> list[Finding]:
    findings = []
    direct = post.audience in ("pupil", "parent")
    for mention in post.mentions_with_role("former_pupil"):
        if direct or _contact_in_sentence(post, mention.start):
            findings.append(_roster_finding(post, mention))
    for hit in FORMER.hits(post.text):
        if _contact_in_sentence(post, hit.start):
            findings.append(
                Finding(
                    clause="4.1(v)",
                    code="former_pupil.contact",
                    start=hit.start,
                    end=hit.end,
                    message=(
                        "Online friendship or messaging with a former pupil "
                        "is strongly discouraged."
                    ),
                    suggestion=(
                        "Don't accept or reply from a personal account; if they are under 18, "
                        "tell your line manager."
                    ),
                    severity="caution",
                )
            )
    return findings


def _contact_in_sentence(post: Post, position: int) -> bool:
    start, end = post.sentence_at(position)
    return CONTACT.first(post.text[start:end]) is not None


def _roster_finding(post: Post, mention: Mention) -> Finding:
    day = post.local_time.date() if post.local_time else None
    ages = [p.age_on(day) if day else None for p in mention.people if p.role == "former_pupil"]
    known = [a for a in ages if a is not None]
    under_18 = bool(known) and min(known) < 18 and not mention.ambiguous
    if under_18:
        age_note = f"who is {min(known)} (under 18)"
    elif known and len(known) == len(ages):
        age_note = f"who is {min(known)}"
    else:
        age_note = "whose age the roster or post time does not give"
    return Finding(
        clause="4.1(v)",
        code="former_pupil.under_18" if under_18 else "former_pupil.contact",
        start=mention.start,
        end=mention.end,
        message=f"This is online contact with a former pupil {age_note}.",
        suggestion=(
            "Don't continue the contact from a personal account"
            + (
                "; report it to your line manager."
                if under_18
                else "; keep it professional and brief."
            )
        ),
        severity="stop" if under_18 else "caution",
    )
