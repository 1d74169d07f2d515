"""The page where a headteacher or the authority admin sets up the organisation's OpenID
Connect sign-in: write-only client secret, GOV.UK errors, audit without the secret, a recent
sign-in before changes, other schools kept out, "test discovery", and a real sign-in through
a provider added on the page (against the provider on loopback)."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.utils import timezone

from boundaries.core import actions as core_actions
from boundaries.core.models import AuditEvent
from boundaries.core.roles import Role
from boundaries.security import oidc, sessions
from boundaries.security.models import SignInProvider
from tests.cast import Cast
from tests.security.oidc_provider import Provider, running_provider
from tests.security.signin import sign_in_verified
from tests.security.test_provider_sign_in import _sign_in, _visit_provider

PAGE = "/o/rivington/sign-in-services/"


@pytest.fixture
def idp() -> Iterator[Provider]:
    with running_provider() as running:
        yield running


def _form(idp: Provider, **changes: Any) -> dict[str, Any]:
    return {
        "kind": "entra",
        "issuer": idp.issuer,
        "client_id": idp.client_id,
        "client_secret": idp.client_secret,
        "email_domains": "rivington.example",
        "enabled": "on",
        **changes,
    }


def _add(client: Client, idp: Provider, page: str = PAGE, **changes: Any) -> SignInProvider:
    response = client.post(page + "new/", _form(idp, **changes))
    assert response.status_code == 302, response.text
    assert response["Location"] == page
    return SignInProvider.objects.latest("pk")


def _everything_audited() -> str:
    return json.dumps([[e.action, e.before, e.after] for e in AuditEvent.objects.all()])


def test_a_headteacher_adds_the_schools_provider_and_a_teacher_signs_in_with_it(
    cast: Cast, client: Client, idp: Provider
) -> None:
    sign_in_verified(client, cast.head)
    assert "No sign-in service is set up" in client.get(PAGE).text
    assert client.get(PAGE + "new/").status_code == 200
    provider = _add(client, idp)

    page = client.get(PAGE).text
    assert idp.issuer in page and "Set (never shown)" in page and "rivington.example" in page
    assert idp.client_secret not in page
    assert provider.organisation == cast.school and provider.enabled
    event = AuditEvent.objects.get(action="security.sign_in_provider_added")
    assert event.actor == cast.head and event.organisation == cast.school
    assert event.after["issuer"] == idp.issuer
    assert idp.client_secret not in _everything_audited()

    teacher = Client()
    response = _sign_in(teacher, idp, "teacher@rivington.example")
    assert response.status_code == 302, response.text  # type: ignore[attr-defined]
    assert int(teacher.session["_auth_user_id"]) == cast.teacher.pk
    assert teacher.get("/o/rivington/").status_code == 200


def test_the_secret_is_never_shown_back_and_left_empty_it_is_kept(
    cast: Cast, client: Client, idp: Provider
) -> None:
    sign_in_verified(client, cast.head)
    provider = _add(client, idp)
    edit = f"{PAGE}{provider.pk}/"
    page = client.get(edit).text
    assert idp.client_secret not in page and "A secret is set" in page
    assert 'name="client_secret"' in page and 'type="password"' in page

    kept = client.post(
        edit, _form(idp, client_secret="", email_domains="rivington.example\nb.example")
    )
    assert kept.status_code == 302
    provider.refresh_from_db()
    assert provider.client_secret == idp.client_secret
    assert provider.email_domains == ["rivington.example", "b.example"]
    changed = AuditEvent.objects.get(action="security.sign_in_provider_changed")
    assert changed.before["email_domains"] == ["rivington.example"]
    assert "client_secret" not in changed.after

    client.post(edit, _form(idp, client_secret="a-brand-new-secret-value"))
    provider.refresh_from_db()
    assert provider.client_secret == "a-brand-new-secret-value"
    replaced = AuditEvent.objects.filter(action="security.sign_in_provider_changed").latest("seq")
    assert replaced.after["client_secret"] == "replaced"
    audited = _everything_audited()
    assert idp.client_secret not in audited and "a-brand-new-secret-value" not in audited
    assert "a-brand-new-secret-value" not in client.get(edit).text


def test_mistakes_are_listed_in_an_error_summary_linked_to_the_fields(
    cast: Cast, client: Client
) -> None:
    sign_in_verified(client, cast.head)
    response = client.post(PAGE + "new/", {"kind": "entra"})
    assert response.status_code == 200
    text = response.text
    assert "<title>Error: Add a sign-in service" in text
    assert 'class="govuk-error-summary"' in text
    for field, message in [
        ("issuer", "Enter the issuer address"),
        ("client_id", "Enter the client ID"),
        ("client_secret", "Enter the client secret"),
        ("email_domains", "Enter at least one email domain"),
    ]:
        assert f'<a href="#id_{field}">{message}</a>' in text
        assert re.search(rf'id="id_{field}"[^>]*aria-describedby="[^"]*id_{field}-error', text) or (
            re.search(rf'aria-describedby="[^"]*id_{field}-error[^"]*"[^>]*id="id_{field}"', text)
        )
    bad = client.post(
        PAGE + "new/",
        {
            "kind": "google",
            "issuer": "not an address",
            "client_id": "x",
            "client_secret": "y",
            "email_domains": "rivington example",
        },
    )
    assert "Enter the issuer as an address starting https://" in bad.text
    assert "rivington is not an email domain" in bad.text
    assert not SignInProvider.objects.exists()


def test_a_domain_another_organisation_signs_in_with_is_refused(
    cast: Cast, client: Client, idp: Provider
) -> None:
    sign_in_verified(client, cast.other_head)
    _add(client, idp, "/o/brookside/sign-in-services/", email_domains="brookside.example")
    sign_in_verified(client, cast.head)
    response = client.post(PAGE + "new/", _form(idp, email_domains="Brookside.example"))
    assert response.status_code == 200
    assert "brookside.example already has a sign-in service" in response.text
    assert SignInProvider.objects.count() == 1


def test_another_schools_head_gets_not_found_everywhere(
    cast: Cast, client: Client, idp: Provider
) -> None:
    sign_in_verified(client, cast.head)
    ours = _add(client, idp)
    sign_in_verified(client, cast.other_head)
    theirs = _add(client, idp, "/o/brookside/sign-in-services/", email_domains="b.example")
    for path in [PAGE, PAGE + "new/", f"{PAGE}{ours.pk}/"]:
        assert client.get(path).status_code == 404, path
    assert client.post(f"{PAGE}{ours.pk}/", _form(idp, client_id="hijack")).status_code == 404
    assert client.post(f"{PAGE}{ours.pk}/test/").status_code == 404
    assert client.get(f"{PAGE}{ours.pk}/delete/").status_code == 404
    assert client.post(f"{PAGE}{ours.pk}/delete/").status_code == 404
    # Their own page does not open our provider by its number either.
    assert client.get(f"/o/brookside/sign-in-services/{ours.pk}/").status_code == 404
    sign_in_verified(client, cast.head)
    assert client.get(f"{PAGE}{theirs.pk}/").status_code == 404
    ours.refresh_from_db()
    assert ours.client_id == idp.client_id


def test_only_the_authority_lets_a_providers_own_mfa_stand_for_ours(
    cast: Cast, client: Client, idp: Provider
) -> None:
    sign_in_verified(client, cast.head)
    form = client.get(PAGE + "new/").text
    assert re.search(r'<input[^>]*name="trusts_provider_mfa"[^>]*disabled', form)
    assert "Only the authority can change this" in form
    provider = _add(client, idp, trusts_provider_mfa="on")
    assert not provider.trusts_provider_mfa

    sign_in_verified(client, cast.admin)
    form = client.get(f"{PAGE}{provider.pk}/").text
    assert not re.search(r'<input[^>]*name="trusts_provider_mfa"[^>]*disabled', form)
    client.post(f"{PAGE}{provider.pk}/", _form(idp, client_secret="", trusts_provider_mfa="on"))
    provider.refresh_from_db()
    assert provider.trusts_provider_mfa
    event = AuditEvent.objects.filter(action="security.sign_in_provider_changed").latest("seq")
    assert event.actor == cast.admin and event.after["trusts_provider_mfa"] is True


def test_the_authority_admin_sets_up_sign_in_for_the_whole_authority(
    cast: Cast, client: Client, idp: Provider
) -> None:
    sign_in_verified(client, cast.admin)
    provider = _add(
        client, idp, "/o/testshire/sign-in-services/", email_domains="rivington.example"
    )
    assert provider.organisation == cast.authority
    assert _sign_in(Client(), idp, "teacher@rivington.example").status_code == 302  # type: ignore[attr-defined]


def test_changing_it_needs_a_recent_sign_in_but_looking_does_not(
    cast: Cast, client: Client, idp: Provider
) -> None:
    sign_in_verified(client, cast.head)
    provider = _add(client, idp)
    session = client.session
    session[sessions.REAUTH_AT] = timezone.now().timestamp() - 11 * 60
    session.save()
    assert client.get(PAGE).status_code == 200
    for path in [PAGE + "new/", f"{PAGE}{provider.pk}/", f"{PAGE}{provider.pk}/delete/"]:
        response = client.post(path, _form(idp, client_id="changed"))
        assert response.status_code == 302 and response["Location"].startswith("/account/confirm/")
    assert SignInProvider.objects.get().client_id == idp.client_id
    assert SignInProvider.objects.count() == 1


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_test_discovery_says_plainly_whether_the_issuer_answers(
    cast: Cast, client: Client, idp: Provider
) -> None:
    sign_in_verified(client, cast.admin)
    working = _add(client, idp)
    page = client.post(f"{PAGE}{working.pk}/test/").text
    assert "Discovery works" in page and "signing keys" in page

    cases = [
        (f"http://127.0.0.1:{_closed_port()}", "Could not connect to"),
        (f"{idp.issuer}/tenant", "answered 404"),
        (f"{idp.issuer}/", "names its issuer"),
    ]
    for number, (issuer, expected) in enumerate(cases):
        broken = _add(client, idp, issuer=issuer, email_domains=f"d{number}.example")
        page = client.post(f"{PAGE}{broken.pk}/test/").text
        assert "Discovery failed" in page and expected in page, (issuer, page)


def test_a_schools_provider_cannot_sign_in_someone_with_a_role_beyond_the_school(
    cast: Cast, client: Client, idp: Provider
) -> None:
    core_actions.grant_role(cast.admin, cast.school, Role.GOVERNOR, actor=None)
    sign_in_verified(client, cast.head)
    _add(client, idp, email_domains="rivington.example\ntestshire.example")
    admin = Client()
    response = _sign_in(admin, idp, "admin@testshire.example")
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert "_auth_user_id" not in admin.session


def test_a_turned_off_provider_signs_nobody_in(cast: Cast, client: Client, idp: Provider) -> None:
    sign_in_verified(client, cast.head)
    provider = _add(client, idp)
    teacher = Client()
    idp.next_claims = {"email": "teacher@rivington.example", "email_verified": True}
    start = teacher.post("/sign-in/organisation/", {"email": "teacher@rivington.example"})
    client.post(f"{PAGE}{provider.pk}/", _form(idp, client_secret="", enabled=""))
    back = urlparse(_visit_provider(start["Location"]))
    assert teacher.get(f"{back.path}?{back.query}").status_code == 403
    again = teacher.post("/sign-in/organisation/", {"email": "teacher@rivington.example"})
    assert "has not set up sign-in" in again.text


@pytest.mark.parametrize("declares_length", [True, False], ids=["declared", "undeclared"])
def test_an_oversized_discovery_answer_is_refused_without_reading_it_all(
    cast: Cast, client: Client, idp: Provider, declares_length: bool
) -> None:
    sign_in_verified(client, cast.admin)
    provider = _add(client, idp)
    idp.discovery_padding = oidc.MAX_ANSWER_BYTES  # with the settings, just over the cap
    idp.declares_length = declares_length
    page = client.post(f"{PAGE}{provider.pk}/test/").text
    assert "Discovery failed" in page and "answered with more than 128 KB" in page
    # Signing in through it stops at the same point, with a plain message.
    teacher = Client()
    start = teacher.post("/sign-in/organisation/", {"email": "teacher@rivington.example"})
    assert start.status_code == 200 and "sign-in service" in start.text
    assert "_auth_user_id" not in teacher.session
    # Just under the cap is read as before.
    idp.discovery_padding = oidc.MAX_ANSWER_BYTES - 1024
    assert "Discovery works" in client.post(f"{PAGE}{provider.pk}/test/").text


def test_a_headteacher_deletes_the_provider_after_confirming(
    cast: Cast, client: Client, idp: Provider
) -> None:
    sign_in_verified(client, cast.head)
    provider = _add(client, idp)
    listing = client.get(PAGE).text
    assert f'href="{PAGE}{provider.pk}/delete/"' in listing
    page = client.get(f"{PAGE}{provider.pk}/delete/").text
    assert "Are you sure you want to delete the Microsoft sign-in service?" in page
    assert "govuk-button--warning" in page and "rivington.example" in page
    assert SignInProvider.objects.filter(pk=provider.pk).exists()  # looking deletes nothing
    response = client.post(f"{PAGE}{provider.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == PAGE
    assert not SignInProvider.objects.filter(pk=provider.pk).exists()
    assert "The Microsoft sign-in is deleted" in client.get(PAGE).text
    event = AuditEvent.objects.get(action="security.sign_in_provider_deleted")
    assert event.actor == cast.head and event.object_id == str(provider.pk)
    assert event.before["issuer"] == idp.issuer and "client_secret" not in event.before
    assert idp.client_secret not in _everything_audited()
    # Its domain signs in with a password again.
    again = Client().post("/sign-in/organisation/", {"email": "teacher@rivington.example"})
    assert "has not set up sign-in" in again.text


def test_a_provider_that_is_someones_only_way_in_is_not_deleted(
    cast: Cast, client: Client, idp: Provider
) -> None:
    sign_in_verified(client, cast.head)
    provider = _add(client, idp)
    no_password = core_actions.create_account(
        username="sso-only",
        email="Sso.Only@Rivington.example",
        first_name="Sam",
        last_name="Single",
        password=None,
        actor=None,
    )
    core_actions.grant_role(no_password, cast.school, Role.STAFF, actor=None)
    page = client.get(f"{PAGE}{provider.pk}/delete/").text
    assert "You cannot delete the Microsoft sign-in service yet" in page
    assert "1 person has no password" in page and "Delete sign-in service" not in page
    refused = client.post(f"{PAGE}{provider.pk}/delete/")
    assert refused.status_code == 200
    assert "There is a problem" in refused.text and "cannot be deleted until" in refused.text
    assert SignInProvider.objects.filter(pk=provider.pk).exists()
    assert not AuditEvent.objects.filter(action="security.sign_in_provider_deleted").exists()
    # Once that person can sign in another way, it can go.
    no_password.set_password("a long enough password for the test")
    no_password.save()
    assert client.post(f"{PAGE}{provider.pk}/delete/").status_code == 302
    assert not SignInProvider.objects.filter(pk=provider.pk).exists()
