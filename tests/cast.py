"""A small cast across two schools of one authority, built with the real actions.

head, dsl, teacher and governor work at Rivington; other_head at Brookside must see
nothing of Rivington's drafts; admin and hr work for the authority above both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from boundaries.core import actions as core_actions
from boundaries.core.models import Organisation, User
from boundaries.core.roles import OrganisationKind, Role
from boundaries.policies import actions
from boundaries.policies.models import Policy, PolicyVersion
from boundaries.policies.structure import ClauseInput

PASSWORD = "correct horse battery staple"

# The model policy's clause tree, as the seed document numbers it (issue 2).
POLICY_TREE = [
    *["1", "2", "3", "3.1", "3.2", "3.3", "3.4", "4", "4.1"],
    *["4.1(i)", "4.1(ii)", "4.1(iii)", "4.1(iv)", "4.1(v)", "4.1(vi)", "4.2"],
    *["5", "6", "6(i)", "6(ii)", "6(iii)", "6(iv)"],
]


@dataclass
class Cast:
    authority: Organisation
    school: Organisation
    other_school: Organisation
    head: User
    dsl: User
    teacher: User
    governor: User
    other_head: User
    admin: User
    hr: User


def person(username: str, org: Organisation, *roles: str) -> User:
    user = core_actions.create_account(
        username=username,
        email=f"{username}@{org.slug}.example",
        first_name=username.capitalize(),
        last_name="Tester",
        password=PASSWORD,
        actor=None,
    )
    for role in roles:
        core_actions.grant_role(user, org, role, actor=None)
    return user


def make_cast() -> Cast:
    authority = core_actions.create_organisation(
        name="Testshire Council", slug="testshire", kind=OrganisationKind.AUTHORITY, actor=None
    )
    school = core_actions.create_organisation(
        name="Rivington Foundation Primary School",
        slug="rivington",
        kind=OrganisationKind.SCHOOL,
        parent=authority,
        governors_contact_email="governors@rivington.example",
        actor=None,
    )
    other = core_actions.create_organisation(
        name="Brookside Primary",
        slug="brookside",
        kind=OrganisationKind.SCHOOL,
        parent=authority,
        actor=None,
    )
    return Cast(
        authority=authority,
        school=school,
        other_school=other,
        head=person("head", school, Role.HEADTEACHER),
        dsl=person("dsl", school, Role.DSL),
        teacher=person("teacher", school, Role.STAFF),
        governor=person("governor", school, Role.GOVERNOR),
        other_head=person("otherhead", other, Role.HEADTEACHER),
        admin=person("admin", authority, Role.AUTHORITY_ADMIN),
        hr=person("hr", authority, Role.HR),
    )


def small_tree(text_iv: str = "Do not befriend pupils or parents online.") -> list[ClauseInput]:
    return [
        ClauseInput("1", "Purpose", "Why this policy exists."),
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
                        ClauseInput("4.1(i)", "", "No personal use in working hours."),
                        ClauseInput(
                            "4.1(iv)",
                            "",
                            text_iv,
                            notes=[("footnote", "Relatives must declare the connection.")],
                        ),
                    ],
                ),
                ClauseInput(
                    "4.2",
                    "",
                    "No vetting of candidates online.",
                    controls=["recruitment_attestation"],
                    conflicts=[{"guidance": "KCSIE", "reason": "Suggests online searches."}],
                ),
            ],
        ),
    ]


def policy_with_versions(cast: Cast) -> tuple[Policy, PolicyVersion, PolicyVersion]:
    """Rivington's policy: version 1 in force, version 2 a draft with 4.1(iv) changed."""
    policy = actions.create_policy(cast.school, title="Staff social media", actor=cast.head)
    v1 = actions.create_version(policy, small_tree(), actor=cast.head)
    v1 = actions.ratify(
        v1, date_ratified=dt.date(2025, 11, 20), minute_ref="GB/25/11/3", actor=cast.governor
    )
    v1 = actions.bring_into_force(v1, actor=cast.head, today=dt.date(2025, 12, 1))
    v2 = actions.create_version(
        policy, small_tree("Do not befriend pupils, parents or carers online."), actor=cast.head
    )
    return policy, v1, v2
