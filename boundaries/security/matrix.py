"""The permission matrix, generated from the one table in `boundaries.core.permissions`:
role x object type x action x where the role is held relative to the object.

Relations: `same_school` (the role is held in the object's school), `other_school` (in a
sibling school under the same authority: never allowed), `from_authority` (held in the
authority above the school) and `at_authority` (the authority's own objects).
"""

from __future__ import annotations

from dataclasses import dataclass

from boundaries.core.permissions import ACTIONS, allows
from boundaries.core.roles import Role

RELATIONS = ("same_school", "other_school", "from_authority", "at_authority")


@dataclass(frozen=True)
class Case:
    role: str
    object_type: str
    action: str
    relation: str
    allowed: bool


def expected(role: str, action: str, relation: str) -> bool:
    if relation in ("same_school", "at_authority"):
        return allows(action, {role}, set())
    if relation == "from_authority":
        return allows(action, set(), {role})
    return False


def cases() -> list[Case]:
    return [
        Case(role, action.split(".")[0], action, relation, expected(role, action, relation))
        for role in Role.values
        for action in sorted(ACTIONS)
        for relation in RELATIONS
    ]
