"""4.1(iv): personal-channel contact with pupils or parents, and inviting it."""

from engines.postcheck.lexicon import lexicon
from engines.postcheck.post import Post
from engines.postcheck.targets import PARENTS, PUPILS
from engines.postcheck.verdict import Finding

INVITATION = lexicon(
    [
        r"add me(?: on| to)?",
        r"follow me",
        r"friend me",
        r"dm me",
        r"message me",
        r"inbox me",
        r"pm me",
        r"send me a (?:friend |follow )?request",
        r"find me on",
        r"(?:text|whatsapp|snap|ring|call) me",
        r"my (?:insta|snap|snapchat|tiktok|facebook|fb)",
    ]
)
ACCEPTED = lexicon(
    [
        r"accepted (?:a |his |her |their )?(?:friend|follow) requests?",
        r"(?:friend|follow) requests? (?:from|off)",
        r"(?:now )?friends with .{0,30}on (?:facebook|insta\w*|snap\w*|tiktok)",
        r"(?:followed|follows|following) me (?:back )?on",
    ]
)
FORMER = lexicon(
    [r"former pupils?", r"ex[- ]pupils?", r"old pupils?", r"past pupils?", r"former students?"]
)

_CHANNEL = {
    "pupil": ("channel.message_to_pupil", "a pupil"),
    "parent": ("channel.message_to_parent", "a parent or carer"),
}


def find(post: Post) -> list[Finding]:
    findings = []
    if post.audience in _CHANNEL:
        code, who = _CHANNEL[post.audience]
        findings.append(
            Finding(
                clause="4.1(iv)",
                code=code,
                start=0,
                end=len(post.text),
                message=f"This is a message to {who} from a personal account or number.",
                suggestion=(
                    "Use the school's own channels (the school email, app or office) so that "
                    "the contact is open and on record."
                ),
                severity="stop",
            )
        )
        return findings
    for kind, lex in (("invites", INVITATION), ("accepted", ACCEPTED)):
        for hit in lex.hits(post.text):
            group = _school_group_near(post, hit.start)
            if group is None:
                continue
            start, end = min(hit.start, group[0]), max(hit.end, group[1])
            findings.append(_group_finding(kind, start, end))
            break
    return findings


def _school_group_near(post: Post, position: int) -> tuple[int, int] | None:
    sentence = post.sentence_at(position)
    for lex in (PUPILS, PARENTS):
        for hit in lex.hits(post.text):
            if sentence[0] <= hit.start < sentence[1] and not _former(post, hit.start):
                return hit.start, hit.end
    for mention in post.mentions_with_role("pupil", "parent"):
        if sentence[0] <= mention.start < sentence[1] and not mention.ambiguous:
            return mention.start, mention.end
    return None


def _former(post: Post, position: int) -> bool:
    window = post.text[max(0, position - 12) : position + 12]
    return FORMER.first(window) is not None


def _group_finding(kind: str, start: int, end: int) -> Finding:
    if kind == "invites":
        return Finding(
            clause="4.1(iv)",
            code="channel.invites_pupils_or_parents",
            start=start,
            end=end,
            message="This invites pupils or parents to connect with a personal account.",
            suggestion="Point them to the school's official page or office instead.",
            severity="stop",
        )
    return Finding(
        clause="4.1(iv)",
        code="channel.accepted_friend_request",
        start=start,
        end=end,
        message=(
            "Accepting a pupil's or parent's friend or follow request "
            "makes a personal online friendship."
        ),
        suggestion=(
            "Decline or remove the connection; if they are a relative or an old friend, "
            "declare it so the school can advise you."
        ),
        severity="stop",
    )
