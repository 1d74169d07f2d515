"""5: asking a pupil for personal information, photographs or secrecy — the requests
that safer-working guidance reads as grooming behaviour."""

from engines.postcheck.lexicon import lexicon
from engines.postcheck.post import Post
from engines.postcheck.verdict import Finding

REQUESTS = {
    "photo": lexicon(
        [
            r"send (?:me )?(?:a |some |any )?(?:photos?|pics?|pictures?|selfies?|videos?|snaps?)"
            r"(?: of (?:you|yourself)\w*)?",
            r"(?:photos?|pics?|pictures?|selfies?) of (?:you|yourself)",
        ]
    ),
    "personal_info": lexicon(
        [
            r"what(?:'s| is) your (?:home )?"
            r"(?:address|number|phone number|mobile|snap\w*|insta\w*|email|password)",
            r"where do you live",
            r"are you (?:home )?alone",
            r"how old are you",
            r"give me your (?:number|address|snap\w*)",
            r"are your parents (?:home|out|in)",
        ]
    ),
    "secrecy": lexicon(
        [
            r"don'?t tell (?:your )?(?:mum|mam|dad|parents|anyone|anybody|teachers?|friends)",
            r"(?:our|a) (?:little )?secret",
            r"keep (?:this|it) (?:between us|secret|quiet)",
            r"delete (?:this|these|the|my) messages?",
            r"just between (?:us|you and me)",
        ]
    ),
}
_WHAT = {"photo": "photographs", "personal_info": "personal information", "secrecy": "secrecy"}


def find(post: Post) -> list[Finding]:
    if post.audience != "pupil":
        return []
    findings = []
    for kind, lex in REQUESTS.items():
        for hit in lex.hits(post.text):
            findings.append(
                Finding(
                    clause="5",
                    code=f"pupil_request.{kind}",
                    start=hit.start,
                    end=hit.end,
                    message=(
                        f"This asks a pupil for {_WHAT[kind]}, "
                        "which can be read as grooming behaviour."
                    ),
                    suggestion=(
                        "Don't send it. Anything a pupil needs to share goes through school, "
                        "openly, with parents and colleagues able to see it."
                    ),
                    severity="stop",
                )
            )
    return findings
