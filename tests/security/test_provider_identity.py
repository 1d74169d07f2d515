"""A person is who the sign-in service's `sub` says, not whoever holds the mailbox now
(ASVS 5.0 V10.5.2): email finds the account once, at the first sign-in, and links it to
the `sub`; a leaver's address given to someone new no longer opens the leaver's account.
Against the real provider on loopback."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.utils import timezone

from boundaries.core.models import AuditEvent
from boundaries.security import sessions
from boundaries.security.actions import ProviderSettings, change_provider, record_provider_sign_in
from boundaries.security.models import ProviderSubject, SignInProvider
from boundaries.security.oidc import SubjectMismatch
from tests.cast import Cast
from tests.security.oidc_provider import Provider
from tests.security.signin import sign_in_verified
from tests.security.test_provider_sign_in import _sign_in

PAGE = "/o/rivington/sign-in-services/"


def test_the_first_sign_in_links_the_account_to_the_persons_sub_and_says_so(
    cast: Cast, client: Client, provider: Provider
) -> None:
    _sign_in(client, provider, "teacher@rivington.example")
    link = ProviderSubject.objects.get(user=cast.teacher)
    assert link.subject == provider.subjects["teacher@rivington.example"]
    event = AuditEvent.objects.get(action="security.provider_linked")
    assert event.actor == cast.teacher and event.after["subject"] == link.subject


def test_once_linked_the_sub_finds_the_account_even_when_the_email_changes(
    cast: Cast, client: Client, provider: Provider
) -> None:
    _sign_in(client, provider, "teacher@rivington.example")
    client.logout()
    # Married, new address at the school's provider; the same person, the same sub.
    sub = provider.subjects["teacher@rivington.example"]
    response = _sign_in(client, provider, "t.newname@rivington.example", sub=sub)
    assert response.status_code == 302, response.text  # type: ignore[attr-defined]
    assert int(client.session["_auth_user_id"]) == cast.teacher.pk
    assert AuditEvent.objects.filter(action="security.provider_linked").count() == 1


def test_a_leavers_mailbox_given_to_someone_new_does_not_open_the_leavers_account(
    cast: Cast, client: Client, provider: Provider, caplog: pytest.LogCaptureFixture
) -> None:
    _sign_in(client, provider, "teacher@rivington.example")
    client.logout()
    newcomer = Client()
    with caplog.at_level(logging.WARNING, logger="boundaries.security.views"):
        response = _sign_in(newcomer, provider, "teacher@rivington.example", sub="newcomer-sub")
    assert response.status_code == 403  # type: ignore[attr-defined]
    text = response.text  # type: ignore[attr-defined]
    assert "was first used by someone else" in text.replace("&#x27;", "'")
    assert "If you are new, ask your school" in text.replace("&#x27;", "'")
    assert "_auth_user_id" not in newcomer.session
    refused = AuditEvent.objects.get(action="security.provider_link_refused")
    assert refused.object_id == str(cast.teacher.pk) and refused.after["subject"] == "newcomer-sub"
    assert refused.organisation == cast.school
    assert any(f"account {cast.teacher.pk} is linked to another sub" in m for m in caplog.messages)
    # The teacher themself still gets in.
    assert _sign_in(Client(), provider, "teacher@rivington.example").status_code == 302  # type: ignore[attr-defined]


def test_the_headteacher_sees_the_links_and_clears_one_so_the_next_sign_in_links_again(
    cast: Cast, client: Client, provider: Provider
) -> None:
    _sign_in(Client(), provider, "teacher@rivington.example")
    sign_in_verified(client, cast.head)
    row = SignInProvider.objects.get()
    page = client.get(f"{PAGE}{row.pk}/people/")
    assert page.status_code == 200 and "teacher@rivington.example" in page.text
    link = ProviderSubject.objects.get(user=cast.teacher)

    cleared = client.post(f"{PAGE}{row.pk}/people/{link.pk}/clear/")
    assert cleared.status_code == 302
    assert not ProviderSubject.objects.exists()
    event = AuditEvent.objects.get(action="security.provider_link_cleared")
    assert event.actor == cast.head and event.before["subject"] == link.subject

    # The teacher's account at the provider was recreated: a new sub, linked at once.
    again = _sign_in(Client(), provider, "teacher@rivington.example", sub="recreated")
    assert again.status_code == 302  # type: ignore[attr-defined]
    assert ProviderSubject.objects.get(user=cast.teacher).subject == "recreated"


def test_another_schools_head_cannot_see_or_clear_the_links(
    cast: Cast, client: Client, provider: Provider
) -> None:
    _sign_in(Client(), provider, "teacher@rivington.example")
    sign_in_verified(client, cast.other_head)
    row, link = SignInProvider.objects.get(), ProviderSubject.objects.get()
    assert client.get(f"{PAGE}{row.pk}/people/").status_code in {403, 404}
    assert client.post(f"{PAGE}{row.pk}/people/{link.pk}/clear/").status_code in {403, 404}
    assert ProviderSubject.objects.exists()


def test_clearing_a_link_needs_a_recent_sign_in(
    cast: Cast, client: Client, provider: Provider
) -> None:
    _sign_in(Client(), provider, "teacher@rivington.example")
    sign_in_verified(client, cast.head)
    session = client.session
    session[sessions.REAUTH_AT] = timezone.now().timestamp() - 11 * 60
    session.save()
    row, link = SignInProvider.objects.get(), ProviderSubject.objects.get()
    response = client.post(f"{PAGE}{row.pk}/people/{link.pk}/clear/")
    assert response.status_code == 302 and "/account/confirm/" in response["Location"]
    assert ProviderSubject.objects.exists()


def test_a_new_client_id_clears_the_links_because_sub_is_scoped_to_it(
    cast: Cast, provider: Provider
) -> None:
    _sign_in(Client(), provider, "teacher@rivington.example")
    row = SignInProvider.objects.get()
    wanted = ProviderSettings.of(row)
    change_provider(
        row, ProviderSettings(**{**wanted.__dict__, "client_id": "new-app"}), actor=cast.head
    )
    assert not ProviderSubject.objects.exists()
    event = AuditEvent.objects.get(action="security.sign_in_provider_changed")
    assert event.after["links_cleared"] == 1


def test_two_first_sign_ins_at_once_make_one_link_and_a_different_sub_is_refused(
    cast: Cast, provider: Provider
) -> None:
    """Both callbacks found no link before either saved one (two tabs, a double click)."""
    service = SignInProvider.objects.get()
    for _ in range(2):
        record_provider_sign_in(cast.teacher, provider=service, subject="s-1", first_link=True)
    assert ProviderSubject.objects.get(user=cast.teacher).subject == "s-1"
    assert AuditEvent.objects.filter(action="security.provider_linked").count() == 1
    with pytest.raises(SubjectMismatch):
        record_provider_sign_in(cast.teacher, provider=service, subject="s-2", first_link=True)
    assert ProviderSubject.objects.get(user=cast.teacher).subject == "s-1"
