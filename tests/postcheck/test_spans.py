"""Each finding carries the exact words that caused it, a clause and a suggestion."""

import pytest

from engines.postcheck import Context, check
from tests.postcheck.suite import SATURDAY_EVENING

SPANS = [
    ("Text me on 07700 900123 please", "pupil", "contact.phone_number", "07700 900123"),
    ("Call (01257) 480-123 now", "parent", "contact.phone_number", "(01257) 480-123"),
    ("ring oh seven seven double oh nine hundred one two three", "parent",
     "contact.phone_number", "oh seven seven double oh nine hundred one two three"),
    ("Email tomg1988@gmail.com", "pupil", "contact.personal_email", "tomg1988@gmail.com"),
    ("My insta is @miss_lund_teaches", "pupil", "contact.social_handle",
     "My insta is @miss_lund_teaches"),
    ("Jayden's EHCP came through", "staff_group", "pupil_data.sen", "Jayden's EHCP"),
    ("the parents here are scum", "friends", "derogatory.parents", "parents here are scum"),
    ("Karen Brennan stole the raffle money", "public", "defamation.allegation",
     "Karen Brennan stole"),
    ("Send me a selfie tonight", "pupil", "pupil_request.photo", "Send me a selfie"),
    ("Anyone got coke for Saturday", "friends", "disrepute.drugs", "coke"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "audience", "code", "words"), SPANS)
def test_finding_spans_the_words_that_caused_it(
    text: str, audience: str, code: str, words: str, context: Context
) -> None:
    verdict = check(text, audience=audience, at=SATURDAY_EVENING, context=context)
    found = {f.code: text[f.start : f.end] for f in verdict.findings}
    assert found.get(code) == words, found


def test_every_finding_cites_a_clause_and_offers_a_suggestion(context: Context) -> None:
    text = "Parents add me on snap, my number is 07700 900123. Karen Brennan is a liar"
    verdict = check(text, audience="public", at=SATURDAY_EVENING, context=context)
    assert verdict.verdict == "stop"
    for finding in verdict.findings:
        assert finding.clause in {"4.1(i)", "4.1(iii)", "4.1(iv)", "4.1(v)", "4.1(vi)", "5"}
        assert finding.suggestion
        assert finding.message
        assert 0 <= finding.start < finding.end <= len(text)


def test_to_json_carries_words_and_scores(context: Context) -> None:
    verdict = check("Ring 07700 900123", audience="parent", at=None, context=context, scores=True)
    data = verdict.to_json()
    assert data["verdict"] == "stop"
    assert {"clause", "code", "start", "end", "message", "suggestion", "severity", "words"} <= set(
        data["findings"][0]
    )
    assert 0.0 <= data["scores"]["offensive"] <= 1.0
