"""Emails about declarations. Like every email Boundaries sends about people, they carry no
names: a link to the record, behind the sign-in."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from boundaries.core import mail
from boundaries.core.models import Membership
from boundaries.core.roles import Role
from boundaries.declarations.models import ConnectionDeclaration


def reviewers(declaration: ConnectionDeclaration) -> list[str]:
    """The line manager; the DSL when there is none (or when the connection is with a child)."""
    emails: set[str] = set()
    manager = declaration.staff.line_manager
    if manager is not None:
        email = manager.user.email if manager.user is not None else manager.work_email
        if email:
            emails.add(email)
    if not emails or declaration.counterpart_kind != "parent_carer":
        emails |= set(
            Membership.objects.filter(
                organisation=declaration.organisation, role=Role.DSL, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    if declaration.declared_by is not None:
        emails.discard(declaration.declared_by.email)
    return sorted(e for e in emails if e)


def send_review_request(declaration_pk: int) -> None:
    declaration = ConnectionDeclaration.objects.select_related(
        "organisation", "staff__line_manager__user", "declared_by"
    ).get(pk=declaration_pk)
    to = reviewers(declaration)
    if not to:
        return
    url = settings.SITE_URL + reverse(
        "declarations:review", args=[declaration.organisation.slug, declaration.pk]
    )
    mail.send(
        "A declared connection is waiting for your review",
        render_to_string("declarations/email/review_request.txt", {"d": declaration, "url": url}),
        to,
    )
