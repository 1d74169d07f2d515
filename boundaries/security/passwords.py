"""`ContextWordsValidator`: passwords may not contain the words a guesser would try first
for this site and this person (ASVS 5.0 V6.2.11).

The words: the product's name, and for each organisation the person belongs to (and the
schools' authority above it) its name and its web address slug. Letters and digits are
compared without case, spaces or punctuation, so "Rivington-2026!" contains "rivington".
Terms shorter than four characters are left out, so a short slug cannot refuse half the
dictionary. The person's own name and email are `UserAttributeSimilarityValidator`'s.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from boundaries.core.models import Organisation, User

PRODUCT_WORDS = ("boundaries",)
SHORTEST_TERM = 4


def folded(text: str) -> str:
    """Letters and digits only, without case: what a comparison sees."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def organisations_of(user: User | None) -> list[Organisation]:
    """The person's organisations and every one above them (a school's authority)."""
    if user is None or user.pk is None:
        return []
    found: dict[int, Organisation] = {}
    for membership in user.memberships.select_related("organisation"):
        for organisation in [membership.organisation, *membership.organisation.ancestors()]:
            found.setdefault(organisation.pk, organisation)
    return list(found.values())


def context_terms(user: User | None) -> list[str]:
    terms = [*PRODUCT_WORDS]
    for organisation in organisations_of(user):
        terms += [organisation.name, organisation.slug]
    return sorted({folded(t) for t in terms if len(folded(t)) >= SHORTEST_TERM})


class ContextWordsValidator:
    def validate(self, password: str, user: User | None = None) -> None:
        typed = folded(password)
        if any(term in typed for term in context_terms(user)):
            raise ValidationError(
                "Your password must not contain the name of this service, your school "
                "or your authority",
                code="password_has_context_word",
            )

    def get_help_text(self) -> str:
        return (
            "Your password must not contain the name of this service, your school or your "
            "authority."
        )
