"""Roster names as people write them, and never a shared first name as one person."""

import pytest

from engines.postcheck import Context
from engines.postcheck.names import tokenise

FOUND = [
    ("Jayden's reading", "Jayden's", ("Jayden Okafor",)),
    ("jayden okafor was great", "jayden okafor", ("Jayden Okafor",)),
    ("well done Jay", "Jay", ("Jayden Okafor",)),
    ("Millie Hartley's nits", "Millie Hartley's", ("Amelia Hartley",)),
    ("Olly did well", "Olly", ("Oliver Brennan",)),
    ("Mrs Ashworth said", "Mrs Ashworth", ("Helen Ashworth",)),
    ("ask mr gregson", "mr gregson", ("Tom Gregson",)),
    ("Devendra Mistry joined", "Devendra Mistry", ("Dev Mistry",)),
    ("Oliver was off", "Oliver", ("Oliver Brennan", "Oliver Pike")),
    ("Oliver Pike was off", "Oliver Pike", ("Oliver Pike",)),
    ("keisha\u2019s dad", "keisha\u2019s", ("Keisha Lomax",)),
    ("ask Grace today", "Grace", ("Grace Whitworth",)),
]
NOT_FOUND = ["amazing grace", "Grace before meals", "I will go", "Mr Desai", "Pike fishing"]


@pytest.mark.parametrize(("text", "words", "people"), FOUND)
def test_roster_names_are_matched_as_written(
    text: str, words: str, people: tuple[str, ...], context: Context
) -> None:
    mentions = context.name_index.roster_mentions(text, tokenise(text))
    assert [(text[m.start : m.end], tuple(p.name for p in m.people)) for m in mentions] == [
        (words, people)
    ]


@pytest.mark.parametrize("text", NOT_FOUND)
def test_words_and_wrong_forms_are_not_names(text: str, context: Context) -> None:
    assert context.name_index.roster_mentions(text, tokenise(text)) == []


def test_a_shared_first_name_is_ambiguous(context: Context) -> None:
    text = "Oliver was off"
    (mention,) = context.name_index.roster_mentions(text, tokenise(text))
    assert mention.ambiguous


@pytest.mark.parametrize(
    ("text", "name"),
    [("Councillor Mike Dawson is a liar", "Councillor Mike Dawson"),
     ("Gary Holt is a crook", "Gary Holt"), ("honestly Dave stole it", "Dave")],
)  # fmt: skip
def test_names_not_on_the_roster_are_found(text: str, name: str, context: Context) -> None:
    tokens = tokenise(text)
    found = context.name_index.other_names(text, tokens, [])
    assert [text[m.start : m.end] for m in found] == [name]
