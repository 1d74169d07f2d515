"""Advice on a connection request from a pupil, former pupil or parent (4.1(iv), (v)).

A table, not branches scattered in a view: each answer says what to do, which clauses
it rests on, and whether the connection should be declared.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Advice:
    headline: str
    steps: tuple[str, ...]
    clauses: tuple[str, ...]
    footnote_applies: bool
    declare: bool


DECLINE = "Do not accept the request, and do not reply from your personal account."
TELL = "If a pupil keeps trying to contact you, tell your line manager (clause 5)."
EXISTING = (
    "The policy's footnote to 4.1(iv) covers this: the nature of the relationship has "
    "changed now that they are part of the school, and continuing this kind of contact "
    "carries a risk of formal action under the disciplinary procedure."
)
DECLARE = "Declare the connection so that the school knows and can advise you."


def advice_for(who: str, relationship: str, age: str = "") -> Advice:
    existing = relationship in {"relative", "friend_before"}
    if who == "pupil":
        steps = (DECLINE, TELL) + ((EXISTING, DECLARE) if existing else ())
        return Advice(
            "Do not accept a friend request from a pupil",
            steps,
            ("4.1(iv)",),
            existing,
            existing,
        )
    if who == "parent":
        if existing:
            return Advice(
                "Think carefully, and declare the connection",
                (
                    EXISTING,
                    DECLARE,
                    "Keep school matters out of it: talk about school only through school "
                    "channels.",
                ),
                ("4.1(iv)",),
                True,
                True,
            )
        return Advice(
            "Do not accept a friend request from a parent or carer",
            (DECLINE, "Point them to the school's official channels for school matters."),
            ("4.1(iv)",),
            False,
            False,
        )
    under_18 = age in {"under_18", "unknown"}
    headline = (
        "Do not accept: they may be under 18"
        if under_18 and age == "unknown"
        else "Do not accept a request from a former pupil under 18"
        if under_18
        else "Friendships with former pupils are strongly discouraged"
    )
    steps = (
        (DECLINE,)
        if under_18
        else (
            "The policy strongly discourages it even now they are adults. Think before you accept.",
        )
    )
    if existing:
        steps += (DECLARE,)
    return Advice(headline, steps, ("4.1(iv)", "4.1(v)"), existing, existing or not under_18)
