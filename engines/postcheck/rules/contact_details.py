"""5: personal contact details — phone numbers, personal emails, social handles and
"add me on..." — given to pupils or parents, or posted publicly."""

import re

from engines.postcheck.lexicon import Hit, lexicon
from engines.postcheck.phone_numbers import phone_numbers
from engines.postcheck.post import Post
from engines.postcheck.rules.audience import INVITATION
from engines.postcheck.targets import PARENTS, PUPILS
from engines.postcheck.verdict import Finding, Severity

_EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
_SPOKEN_EMAIL = re.compile(
    r"\b[\w.]+\s+(?:at|\[at\]|\(at\))\s+([\w-]+)\s+(?:dot|\.)\s+(?:com|co\s+(?:dot|\.)\s+uk|org|net|me)\b",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_.]{3,30}")
_NAMED_HANDLE = re.compile(
    r"\bmy\s+(?:insta(?:gram)?|ig|snap(?:chat)?|tiktok|twitter|x|fb|facebook|discord|telegram)"
    r"(?:\s+(?:name|handle|username|is|=|:))+\s*[:]?\s*@?[A-Za-z0-9_.]{3,30}",
    re.IGNORECASE,
)
OFFICIAL = lexicon(
    [r"school", r"office", r"reception", r"switchboard", r"helpline", r"nhs", r"111", r"999"]
)

_KINDS = {
    "phone": ("contact.phone_number", "a phone number"),
    "email": ("contact.personal_email", "a personal email address"),
    "handle": ("contact.social_handle", "a social media handle"),
    "invite": ("contact.invitation", "an invitation to contact you personally"),
}


def find(post: Post) -> list[Finding]:
    severity = _severity(post)
    if severity is None:
        return []
    found: list[tuple[str, int, int]] = []
    for number in phone_numbers(post.text):
        before = post.text[max(0, number.start - 40) : number.start]
        if OFFICIAL.first(before) is None:
            found.append(("phone", number.start, number.end))
    own_domains = post.context.organisation.domains
    for pattern in (_EMAIL, _SPOKEN_EMAIL):
        for match in pattern.finditer(post.text):
            domain = match.group(1).lower()
            if not any(
                domain == d or domain.endswith("." + d) or d.startswith(domain + ".")
                for d in own_domains
            ):
                found.append(("email", match.start(), match.end()))
    for pattern in (_NAMED_HANDLE, _HANDLE):
        for match in pattern.finditer(post.text):
            if not any(s <= match.start() < e for _, s, e in found):
                found.append(("handle", match.start(), match.end()))
    found.extend(("invite", h.start, h.end) for h in _invitations(post))
    return [_finding(kind, start, end, severity) for kind, start, end in found]


def _invitations(post: Post) -> list[Hit]:
    return [h for h in INVITATION.hits(post.text) if not h.words.lower().startswith("my ")]


def _severity(post: Post) -> Severity | None:
    if post.audience in ("pupil", "parent"):
        return "stop"
    addressed = PUPILS.first(post.text) or PARENTS.first(post.text)
    if post.audience == "public":
        return "stop" if addressed else "caution"
    return None


def _finding(kind: str, start: int, end: int, severity: Severity) -> Finding:
    code, what = _KINDS[kind]
    return Finding(
        clause="5",
        code=code,
        start=start,
        end=end,
        message=f"This gives out {what} where pupils or parents can see it.",
        suggestion=(
            "Remove it and give the school's contact route instead "
            "(the office number, your school email or the school app)."
        ),
        severity=severity,
    )
