"""The friend-request question: the answer quotes the school's 4.1(iv), its footnote, 4.1(v)."""

from __future__ import annotations

import pytest
from django.test import Client

from boundaries.policies import actions
from boundaries.policies.models import PolicyKind
from boundaries.policies.structure import ClauseInput
from tests.cast import Cast
from tests.screening.conftest import sign_in

FOOTNOTE = "Relatives and earlier friends must be told the relationship has changed."


def school_policy(cast: Cast) -> int:
    policy = actions.create_policy(cast.school, title="Staff social media", actor=cast.head)
    policy.kind = PolicyKind.SOCIAL_MEDIA
    policy.save()
    tree = [
        ClauseInput(
            "4",
            "Guidance",
            "",
            children=[
                ClauseInput(
                    "4.1",
                    "",
                    "Staff are advised:",
                    children=[
                        ClauseInput(
                            "4.1(iv)",
                            "",
                            "Do not befriend parents, carers or pupils online.",
                            notes=[("footnote", FOOTNOTE)],
                        ),
                        ClauseInput("4.1(v)", "", "Former pupils: strongly discouraged."),
                    ],
                )
            ],
        )
    ]
    import datetime as dt

    version = actions.create_version(policy, tree, actor=cast.head)
    version = actions.ratify(
        version, date_ratified=dt.date(2025, 11, 20), minute_ref="GB/1", actor=cast.governor
    )
    version = actions.bring_into_force(version, actor=cast.head, today=dt.date(2025, 12, 1))
    return version.pk


@pytest.mark.parametrize(
    ("who", "relationship", "age", "headline", "clauses", "footnote_applies", "declare"),
    [
        (
            "pupil",
            "none",
            "",
            "Do not accept a friend request from a pupil",
            ["4.1(iv)"],
            False,
            False,
        ),
        (
            "pupil",
            "relative",
            "",
            "Do not accept a friend request from a pupil",
            ["4.1(iv)"],
            True,
            True,
        ),
        ("parent", "relative", "", "declare the connection", ["4.1(iv)"], True, True),
        ("parent", "friend_before", "", "declare the connection", ["4.1(iv)"], True, True),
        (
            "parent",
            "none",
            "",
            "Do not accept a friend request from a parent",
            ["4.1(iv)"],
            False,
            False,
        ),
        ("former_pupil", "none", "under_18", "under 18", ["4.1(iv)", "4.1(v)"], False, False),
        ("former_pupil", "none", "unknown", "may be under 18", ["4.1(iv)", "4.1(v)"], False, False),
        (
            "former_pupil",
            "none",
            "adult",
            "strongly discouraged",
            ["4.1(iv)", "4.1(v)"],
            False,
            True,
        ),
    ],
)
def test_the_answer_cites_the_schools_clauses(
    cast: Cast, client: Client, who, relationship, age, headline, clauses, footnote_applies, declare
) -> None:
    vid = school_policy(cast)
    page = sign_in(client, "teacher").get(
        "/o/rivington/check/connection-request/",
        {"who": who, "relationship": relationship, "age": age},
    )
    assert page.status_code == 200
    assert headline in page.text
    for number in clauses:
        anchor = "clause-" + number.replace("(", "-").replace(")", "")
        assert f'href="/o/rivington/versions/{vid}/#{anchor}"' in page.text
    assert "Do not befriend parents, carers or pupils online." in page.text
    assert FOOTNOTE in page.text
    assert ("which applies to you" in page.text) is footnote_applies
    assert ("Declare the connection" in page.text) is declare
    assert ('href="/o/rivington/declarations/new/"' in page.text) is declare
    assert ('href="/o/rivington/pupil-contacts/report/"' in page.text) is (who == "pupil")


def test_a_former_pupil_needs_an_age(cast: Cast, client: Client) -> None:
    page = sign_in(client, "teacher").get(
        "/o/rivington/check/connection-request/", {"who": "former_pupil", "relationship": "none"}
    )
    assert "Select how old the former pupil is" in page.text
    assert "There is a problem" in page.text


def test_without_a_policy_in_force_the_answer_says_so(cast: Cast, client: Client) -> None:
    page = sign_in(client, "teacher").get(
        "/o/rivington/check/connection-request/", {"who": "pupil", "relationship": "none"}
    )
    assert "has no clause 4.1(iv)" in page.text


def test_the_question_page_starts_empty(cast: Cast, client: Client) -> None:
    page = sign_in(client, "teacher").get("/o/rivington/check/connection-request/")
    assert page.status_code == 200 and "There is a problem" not in page.text
    assert 'type="radio"' in page.text
