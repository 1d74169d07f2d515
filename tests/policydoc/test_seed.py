"""The policy the product was designed from parses to exactly the tree the app maps controls to.

The seed lives in the shared folder beside the checkout, never in the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engines.policydoc import Clause, PartialDate, PolicyDocument, parse_document

SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds" / "000_7a7d71410483d133.txt"


@pytest.fixture(scope="module")
def seed() -> PolicyDocument:
    if not SEED.is_file():
        pytest.skip(f"../shared is absent: the seed policy {SEED} is not beside the checkout")
    return parse_document(SEED.read_bytes(), SEED.name)


def shape(clause: Clause) -> tuple[str, str, tuple[str, ...], tuple[object, ...]]:
    return (
        clause.number,
        clause.heading,
        tuple(note.kind for note in clause.notes),
        tuple(shape(child) for child in clause.children),
    )


def test_the_seed_tree_has_exactly_the_clauses_the_controls_cite(seed: PolicyDocument) -> None:
    roman = ("i", "ii", "iii", "iv", "v", "vi")
    assert tuple(shape(c) for c in seed.clauses) == (
        ("1", "PURPOSE", (), ()),
        ("2", "APPLICATION", (), ()),
        ("3", "BACKGROUND", (), tuple((f"3.{n}", "", (), ()) for n in range(1, 5))),
        (
            "4",
            "GUIDANCE AND ADVICE",
            (),
            (
                (
                    "4.1",
                    "",
                    (),
                    tuple((f"4.1({r})", "", ("footnote",) if r == "iv" else (), ()) for r in roman),
                ),
                ("4.2", "", (), ()),
            ),
        ),
        ("5", "SAFEGUARDING ISSUES", ("quotation",), ()),
        ("6", "RECOMMENDATIONS", (), tuple((f"6({r})", "", (), ()) for r in roman[:4])),
    )


def test_the_seed_front_matter_gives_title_school_model_and_dates(seed: PolicyDocument) -> None:
    assert seed.title == "Social Networking Sites and Social Media Policy"
    assert seed.organisation == "Rivington Foundation Primary School"
    assert seed.model_title is not None
    assert seed.model_title.startswith("LANCASHIRE COUNTY COUNCIL MODEL POLICY ON THE USE")
    assert seed.model_title.endswith("OTHER FORMS OF SOCIAL MEDIA (JUNE 2023)")
    assert (seed.written, seed.ratified, seed.next_review, seed.adopted) == (
        PartialDate(2023, 9),
        PartialDate(2023, 11),
        PartialDate(2024, 9),
        PartialDate(2023, 9, 1),
    )
    paragraphs = seed.preamble.split("\n\n")
    assert paragraphs[0] == "The policy will be reviewed on an annual basis."
    assert paragraphs[1].startswith("This Policy has been developed in consultation")
    assert len(paragraphs) == 2


def text_of(seed: PolicyDocument, number: str) -> str:
    clause = seed.find(number)
    assert clause is not None, number
    return clause.text


def test_the_seed_clause_texts_start_and_end_where_the_policy_does(seed: PolicyDocument) -> None:
    assert text_of(seed, "1").startswith("This Policy sets out")
    assert text_of(seed, "3") == ""
    assert text_of(seed, "4.1").startswith("Employees who choose")
    assert text_of(seed, "4.1").endswith("advised as follows:-")
    assert text_of(seed, "4.1(i)").endswith("during working hours;")
    assert text_of(seed, "6(iv)").endswith("this may lead to dismissal.")


def test_text_broken_by_a_page_is_rejoined_into_one_paragraph(seed: PolicyDocument) -> None:
    assert "deliberately use these sites to communicate with" in text_of(seed, "3.4")
    assert "\n" not in text_of(seed, "3.4")
    assert "personal e-mails and text messaging can lead" in text_of(seed, "5")


def test_sub_bullets_stay_in_their_clause_text(seed: PolicyDocument) -> None:
    lines = text_of(seed, "4.1(iii)").split("\n")
    assert lines[0].endswith("in a manner which may:-")
    assert lines[1] == "- bring the school into disrepute;"
    assert len(lines) == 6
    assert all(line.startswith("- ") for line in lines[1:])


def test_the_footnote_is_attached_to_the_clause_its_asterisk_marks(seed: PolicyDocument) -> None:
    clause = seed.find("4.1(iv)")
    assert clause is not None
    (note,) = clause.notes
    # The "(*" ... ")" wrapper is the link to the asterisk, not part of the wording.
    assert note.text.startswith("In some cases")
    assert note.text.endswith("Disciplinary Procedure.")


def test_the_quoted_guidance_becomes_clean_paragraphs_and_bullets(seed: PolicyDocument) -> None:
    clause = seed.find("5")
    assert clause is not None
    assert clause.text.endswith("(June 2022) states:-")
    assert "](#)" not in clause.text
    assert "'Guidance for Safer Working Practice" in clause.text
    (note,) = clause.notes
    assert note.kind == "quotation"
    assert note.text.startswith("12. Communication with children")
    for leftover in ("<", ">", "\u25aa", "\u2022", "--"):
        assert leftover not in note.text
    assert "\nThis means that adults should:\n- not seek" in note.text
    assert note.text.count("\n- ") == 8
    assert note.text.endswith("(e.g. on school trips)")


def test_markdown_markers_are_gone_from_every_text(seed: PolicyDocument) -> None:
    for clause in seed.walk():
        assert "**" not in clause.text
        assert "](" not in clause.text


def test_the_seed_round_trips_to_json(seed: PolicyDocument) -> None:
    data = seed.to_json()
    assert data["dates"] == {
        "written": "2023-09",
        "ratified": "2023-11",
        "next_review": "2024-09",
        "adopted": "2023-09-01",
    }
    assert [c["number"] for c in data["clauses"]] == ["1", "2", "3", "4", "5", "6"]
    assert data["clauses"][3]["children"][0]["children"][3]["notes"][0]["kind"] == "footnote"
    assert [c.anchor for c in seed.walk()][-1] == "clause-6-iv"
