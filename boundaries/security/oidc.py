"""OpenID Connect sign-in (authorisation code flow with PKCE, state and nonce).

Authlib's OAuth2 client makes the authorisation URL and exchanges the code; joserfc (the
JOSE library Authlib is built on) checks the ID token's signature against the provider's
published keys and its issuer, audience, expiry and nonce. The account is an existing one,
found by the person's `sub` at the provider once linked, and before that by a verified
email claim in an allowed domain (`account_for`): nobody is registered here.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import requests
import urllib3.exceptions  # requests' own HTTP library, whose errors a raw read raises
from authlib.integrations.requests_client import OAuth2Session
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Q
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, KeySetSerialization

from boundaries.core.models import Organisation, User
from boundaries.security.issuers import UnsafeAddress, check_url
from boundaries.security.models import SignInProvider

logger = logging.getLogger(__name__)

SCOPE = "openid email profile"
TIMEOUT = 10  # seconds for the whole answer, not only for each read
# Discovery documents, key sets and token answers are a few KB (Entra ID's key set with its
# certificate chains under 20 KB); anything larger is not one, and is not read into memory.
MAX_ANSWER_BYTES = 128 * 1024
# What the person signing in is told when the provider's answer was too large or too slow.
UNUSABLE = (
    "The sign-in service's answer could not be used: it was too large or too slow. You are "
    "not signed in and nothing was kept. Try again, and if it happens again tell your "
    "school's administrator."
)
# What they are told when an address the provider's settings name is not one we fetch.
UNREACHABLE = (
    "Boundaries does not reach this sign-in service's address, so you are not signed in. "
    "Tell your school's administrator."
)

# What they are told when the code came back from another service than the one asked.
MIXED_UP = (
    "The answer came from a different sign-in service than the one you were sent to, so "
    "you are not signed in. Start again from Boundaries' sign-in page."
)
# What they are told when "confirm it is you" was not a fresh sign-in at the provider.
NOT_AGAIN = (
    "The sign-in service did not ask you to sign in again, so Boundaries cannot confirm it "
    "is you. Try again and enter your password at the sign-in service."
)
CLOCK_LEEWAY = 60  # seconds between our clock and the provider's, for exp, iat and auth_time
# RSA keys shorter than this (about 112 bits of security) are not used to check ID tokens.
MIN_RSA_BITS = 2048


class SignInRefused(Exception):
    """The provider's answer does not let this person in; the message is for them."""


class AnswerTooLarge(ValueError):
    """The provider answered with more than MAX_ANSWER_BYTES."""


class Redirected(requests.HTTPError):
    """Discovery or the signing keys answered with a redirect, which is not followed."""


def provider_for_email(email: str) -> SignInProvider | None:
    domain = email.rsplit("@", 1)[-1].strip().lower()
    if "@" not in email or not domain:
        return None
    for provider in SignInProvider.objects.filter(enabled=True).select_related("organisation"):
        if provider.allows_domain(email):
            return provider
    return None


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def discovery(provider: SignInProvider) -> dict[str, Any]:
    """The provider's settings, after checking again that its issuer is an address we
    fetch (`issuers.check_url`): a row saved before the rule, or a name that now resolves
    elsewhere, is refused at sign-in too."""
    try:
        config: dict[str, Any] = _get_json(discovery_url(provider.issuer))
    except UnsafeAddress as error:
        raise _refused_address(provider, "issuer", error) from error
    if config.get("issuer") != provider.issuer:
        raise SignInRefused("The sign-in service's address does not match its settings")
    return config


ENDPOINTS = {
    "authorization_endpoint": "sign-in page",
    "token_endpoint": "token endpoint",
    "jwks_uri": "signing keys",
}


@dataclass(frozen=True)
class DiscoveryCheck:
    """What "test discovery" tells the person setting up a provider: only whether the
    issuer answers as an OpenID Connect provider should, never the body of the answer (the
    address is typed by a person, so the answer could come from anywhere)."""

    ok: bool
    message: str


def check_discovery(issuer: str) -> DiscoveryCheck:
    url = discovery_url(issuer)
    try:
        config = _get_json(url)
    except UnsafeAddress as error:
        return DiscoveryCheck(False, str(error))
    except Redirected as error:
        status = error.response.status_code if error.response is not None else "a redirect"
        return DiscoveryCheck(
            False,
            f"{url} answered with a redirect ({status}), which Boundaries does not follow: "
            "enter the issuer exactly as the service names it",
        )
    except requests.Timeout:
        return DiscoveryCheck(False, f"{url} did not answer within {TIMEOUT} seconds")
    except requests.ConnectionError:
        return DiscoveryCheck(
            False,
            f"Could not connect to {url}: check the address and that this server can reach it",
        )
    except requests.HTTPError as error:
        status = error.response.status_code if error.response is not None else "an error"
        return DiscoveryCheck(False, f"{url} answered {status}: check the issuer address")
    except AnswerTooLarge:
        return DiscoveryCheck(
            False,
            f"{url} answered with more than {MAX_ANSWER_BYTES // 1024} KB, far more than "
            "OpenID Connect settings take: check the issuer address",
        )
    except (requests.RequestException, ValueError):
        return DiscoveryCheck(False, f"{url} did not answer with OpenID Connect settings")
    if not isinstance(config, dict):
        return DiscoveryCheck(False, f"{url} did not answer with OpenID Connect settings")
    if config.get("issuer") != issuer:
        return DiscoveryCheck(
            False,
            f"The service names its issuer {str(config.get('issuer'))[:200]!r}, not {issuer!r}:"
            " they must match exactly, including any / at the end",
        )
    missing = [label for key, label in ENDPOINTS.items() if not config.get(key)]
    if missing:
        return DiscoveryCheck(False, f"The settings at {url} lack the {', '.join(missing)}")
    return DiscoveryCheck(
        True, f"{url} answered with the sign-in page, token endpoint and signing keys"
    )


def _get_json(url: str) -> Any:
    """GET a JSON document of at most MAX_ANSWER_BYTES (after any decompression) within
    TIMEOUT seconds: the issuer is an address a person typed, so the address is checked
    first (UnsafeAddress), a redirect is not followed (Redirected), and the answer is read
    with care (AnswerTooLarge, requests.Timeout)."""
    check_url(url)
    with requests.Session() as http:
        response = http.get(
            url, timeout=TIMEOUT, allow_redirects=False, hooks={"response": _capped_answers()}
        )
        if response.is_redirect or 300 <= response.status_code < 400:
            raise Redirected(f"{url} answered {response.status_code}", response=response)
        response.raise_for_status()
        return json.loads(response.content)


def _checked_redirects(response: requests.Response, *args: Any, **kwargs: Any) -> None:
    """A requests response hook: a redirect (the token endpoint's are followed) must lead
    to an address we fetch, checked before requests follows it."""
    if response.is_redirect:
        target = urljoin(response.url, response.headers["Location"])
        try:
            check_url(target)
        except UnsafeAddress:
            response.close()
            raise


def _capped_answers() -> Callable[..., requests.Response]:
    """A requests response hook that reads every answer (each redirect's too) through
    `_read_capped` before requests or Authlib reads it, so that none of them reads more than
    MAX_ANSWER_BYTES, nor for longer than TIMEOUT seconds from now in all. requests calls
    response hooks before it reads a body, and reads the body it is handed back."""
    deadline = time.monotonic() + TIMEOUT

    def read(response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
        try:
            body = _read_capped(response, deadline)
        except BaseException:
            response.close()  # the connection is dropped, the rest never read
            raise
        response.raw.release_conn()
        response.raw = io.BytesIO(body)
        return response

    return read


def _read_capped(response: requests.Response, deadline: float) -> bytes:
    """The body, decompressed, if it is at most MAX_ANSWER_BYTES and has all come by
    `deadline` (on time.monotonic's clock); otherwise AnswerTooLarge or requests.Timeout.
    Read as it arrives (read1): a service trickling its answer a few bytes at a time is cut
    off at the deadline, where reading fixed-size chunks would wait for each to fill."""
    url = response.url
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_ANSWER_BYTES:
        raise AnswerTooLarge(url)
    body = bytearray()
    try:
        while chunk := response.raw.read1(16 * 1024, decode_content=True):
            body += chunk
            if len(body) > MAX_ANSWER_BYTES:
                raise AnswerTooLarge(url)
            if time.monotonic() > deadline:
                raise requests.Timeout(f"{url} took longer than {TIMEOUT} seconds")
    except urllib3.exceptions.ReadTimeoutError as error:
        raise requests.Timeout(f"{url} stopped answering") from error
    except urllib3.exceptions.HTTPError as error:  # broken off, or not decodable
        raise requests.RequestException(f"{url}: {error}") from error
    return bytes(body)


def _unusable(provider: SignInProvider, what: str, error: Exception) -> SignInRefused:
    """Refuse a sign-in whose provider answered too much or too slowly, and log it for the
    administrator (the person signing in only sees UNUSABLE)."""
    logger.warning(
        "sign-in with provider %s (%s) refused: its %s answer was unusable: %s",
        provider.pk,
        provider.issuer,
        what,
        "too large" if isinstance(error, AnswerTooLarge) else f"too slow ({error})",
    )
    return SignInRefused(UNUSABLE)


def _refused_address(provider: SignInProvider, what: str, error: Exception) -> SignInRefused:
    """Refuse a sign-in whose provider names an address we do not fetch, and log why."""
    logger.warning(
        "sign-in with provider %s (%s) refused: its %s address is not fetched: %s",
        provider.pk,
        provider.issuer,
        what,
        error,
    )
    return SignInRefused(UNREACHABLE)


def _client(provider: SignInProvider, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(
        provider.client_id,
        provider.client_secret,
        scope=SCOPE,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )


@dataclass(frozen=True)
class Started:
    url: str
    state: str
    nonce: str
    verifier: str


def start(
    provider: SignInProvider,
    redirect_uri: str,
    *,
    login_hint: str = "",
    reauthenticate: bool = False,
) -> Started:
    """Where to send the browser. With `reauthenticate` ("confirm it is you"), the provider
    is asked to make the person sign in again now (`max_age=0`, `prompt=login`), not vouch
    from its own session; `finish` checks it did (`auth_time`)."""
    config = discovery(provider)
    state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
    extra = {"login_hint": login_hint} if login_hint else {}
    if reauthenticate:
        extra |= {"max_age": "0", "prompt": "login"}
    with _client(provider, redirect_uri) as client:
        url, _ = client.create_authorization_url(
            config["authorization_endpoint"],
            state=state,
            nonce=nonce,
            code_verifier=verifier,
            **extra,
        )
    return Started(url, state, nonce, verifier)


def finish(
    provider: SignInProvider,
    redirect_uri: str,
    callback_url: str,
    *,
    state: str,
    nonce: str,
    verifier: str,
    now: dt.datetime,
    response_iss: str | None = None,
    authenticated_since: dt.datetime | None = None,
) -> dict[str, Any]:
    """Exchange the code and answer the ID token's checked claims. Every answer from the
    provider (discovery, token, keys) is read through one cap (`_capped_answers`); one too
    large or too slow refuses the sign-in with UNUSABLE and a log line.

    `response_iss` is the authorisation response's `iss` (RFC 9207), checked before the
    code goes anywhere; `authenticated_since`, for "confirm it is you", is when the flow
    began, and the token's `auth_time` must not be older."""
    try:
        config = discovery(provider)
    except (AnswerTooLarge, requests.Timeout) as error:
        raise _unusable(provider, "discovery", error) from error
    _check_response_issuer(provider, config, response_iss)
    token = _exchange(
        provider, redirect_uri, config["token_endpoint"], callback_url, state, verifier
    )
    id_token = token.get("id_token")
    if not id_token:
        raise SignInRefused("The sign-in service sent no ID token")
    try:
        keys = _get_json(config["jwks_uri"])
    except (AnswerTooLarge, requests.Timeout) as error:
        raise _unusable(provider, "signing keys", error) from error
    except (UnsafeAddress, Redirected) as error:
        raise _refused_address(provider, "signing keys", error) from error
    try:
        key_set = KeySet.import_key_set(_strong_keys(provider, keys))
        decoded = jwt.decode(id_token, key_set, algorithms=["RS256", "ES256"])
        jwt.JWTClaimsRegistry(
            now=int(now.timestamp()),
            leeway=CLOCK_LEEWAY,
            iss={"essential": True, "value": provider.issuer},
            aud={"essential": True, "value": provider.client_id},
            nonce={"essential": True, "value": nonce},
            exp={"essential": True},
            sub={"essential": True},
        ).validate(decoded.claims)
    except (JoseError, ValueError) as error:
        raise SignInRefused("The sign-in service's answer could not be trusted") from error
    if authenticated_since is not None:
        _check_fresh(provider, decoded.claims, authenticated_since)
    return dict(decoded.claims)


def _check_response_issuer(
    provider: SignInProvider, config: dict[str, Any], response_iss: str | None
) -> None:
    """RFC 9207's defence against mix-up: a provider that says it sends `iss` with the
    code must send its own, and one sent without that promise must be right too. Each
    school has its own provider and all share one redirect address, so a code another
    provider issued could otherwise be taken to this one's token endpoint."""
    promised = config.get("authorization_response_iss_parameter_supported") is True
    if response_iss is None and not promised:
        return
    if response_iss != provider.issuer:
        logger.warning(
            "sign-in with provider %s (%s) refused: the authorisation response's iss was %r",
            provider.pk,
            provider.issuer,
            None if response_iss is None else response_iss[:200],
        )
        raise SignInRefused(MIXED_UP)


def _check_fresh(
    provider: SignInProvider, claims: dict[str, Any], authenticated_since: dt.datetime
) -> None:
    """The person signed in at the provider after `authenticated_since` (with
    CLOCK_LEEWAY for the two clocks), as `max_age=0` asked: otherwise the provider vouched
    from an older session of its own, which confirms nothing."""
    auth_time = claims.get("auth_time")
    fresh = (
        isinstance(auth_time, int)
        and not isinstance(auth_time, bool)
        and auth_time >= authenticated_since.timestamp() - CLOCK_LEEWAY
    )
    if not fresh:
        logger.warning(
            "confirming with provider %s (%s) refused: auth_time %r is missing or older "
            "than the request",
            provider.pk,
            provider.issuer,
            auth_time,
        )
        raise SignInRefused(NOT_AGAIN)


def _rsa_bits(key: dict[str, Any]) -> int:
    modulus = str(key.get("n", ""))
    raw = base64.urlsafe_b64decode(modulus + "=" * (-len(modulus) % 4))
    return int.from_bytes(raw, "big").bit_length()


def _strong_keys(provider: SignInProvider, keys: Any) -> KeySetSerialization:
    """The published key set without RSA keys shorter than MIN_RSA_BITS, which are logged:
    a token signed with one is then refused as untrusted."""
    published = keys.get("keys") if isinstance(keys, dict) else None
    if not isinstance(published, list):
        raise ValueError("not a key set")
    kept = []
    for key in published:
        if isinstance(key, dict) and key.get("kty") == "RSA" and _rsa_bits(key) < MIN_RSA_BITS:
            logger.warning(
                "sign-in with provider %s (%s): its signing key %r is RSA of %d bits, under "
                "%d, and is not used",
                provider.pk,
                provider.issuer,
                str(key.get("kid", ""))[:100],
                _rsa_bits(key),
                MIN_RSA_BITS,
            )
            continue
        kept.append(key)
    return {"keys": kept}


def _exchange(
    provider: SignInProvider,
    redirect_uri: str,
    token_endpoint: str,
    callback_url: str,
    state: str,
    verifier: str,
) -> dict[str, Any]:
    """The token endpoint's answer to the code in `callback_url`, fetched by Authlib's
    client and read through the same cap as every other answer from the provider. Its
    address, and any redirect's, must be one we fetch (`issuers.check_url`)."""
    try:
        check_url(token_endpoint)
        with _client(provider, redirect_uri) as client:
            token: dict[str, Any] = client.fetch_token(
                token_endpoint,
                authorization_response=callback_url,
                state=state,
                code_verifier=verifier,
                timeout=TIMEOUT,
                hooks={"response": [_checked_redirects, _capped_answers()]},
            )
    except (AnswerTooLarge, requests.Timeout) as error:
        raise _unusable(provider, "token endpoint", error) from error
    except UnsafeAddress as error:
        raise _refused_address(provider, "token endpoint", error) from error
    except Exception as error:  # Authlib raises several kinds; all mean "not signed in"
        raise SignInRefused("The sign-in service did not confirm who you are") from error
    return token


def _verified(claims: dict[str, Any]) -> bool:
    # Google sends email_verified; Entra ID sends xms_edov (the domain owner verified the
    # address) when the optional claim is configured.
    return claims.get("email_verified") is True or claims.get("xms_edov") is True


def _within(organisation: Organisation, user: User) -> bool:
    """Every role the account holds is in the provider's organisation or one below it.

    All, not any: a school's headteacher sets up the school's provider, so it must not be
    able to sign in someone who also holds a role elsewhere (an authority admin who is a
    governor at the school, say) and so reach beyond the school.
    """
    ids = {organisation.pk} | set(
        Organisation.objects.filter(
            Q(parent=organisation) | Q(parent__parent=organisation)
        ).values_list("pk", flat=True)
    )
    memberships = user.memberships.all()
    return memberships.exists() and not memberships.exclude(organisation_id__in=ids).exists()


MAILBOX_REASSIGNED = (
    "{email} belongs to an account here that was first used by someone else's account at "
    "the sign-in service, so you are not signed in. If you are new, ask your school's "
    "administrator to set up your own account; if this is your account, ask them to clear "
    "its sign-in link."
)


class SubjectMismatch(SignInRefused):
    """A token names a linked account's email with another `sub`: a different person."""

    def __init__(self, message: str, user: User, subject: str) -> None:
        super().__init__(message)
        self.user, self.subject = user, subject


@dataclass(frozen=True)
class Match:
    """The account a token signs in to, and whether this is its first sign-in through the
    provider (so its `sub` is to be linked, `actions.record_provider_sign_in`)."""

    user: User
    first_link: bool


def account_for(provider: SignInProvider, claims: dict[str, Any]) -> Match:
    """The account linked to the token's `sub`; without a link, the one whose email matches
    a verified email in the provider's domains, unless it is linked to another `sub`."""
    subject = str(claims.get("sub") or "")
    link = provider.subjects.filter(subject=subject).select_related("user").first()
    if link is not None:
        if not link.user.is_active or not _within(provider.organisation, link.user):
            raise SignInRefused("Your account here cannot be signed in to. Ask your school.")
        return Match(link.user, first_link=False)
    email = str(claims.get("email") or "").strip()
    if not email or not _verified(claims):
        raise SignInRefused("The sign-in service did not confirm your email address")
    if not provider.allows_domain(email):
        raise SignInRefused(f"{email} is not an address this sign-in service can vouch for")
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None or not _within(provider.organisation, user):
        raise SignInRefused(
            f"No account here uses {email}. Ask your school's administrator to add you."
        )
    if provider.subjects.filter(user=user).exists():
        raise SubjectMismatch(MAILBOX_REASSIGNED.format(email=email), user, subject)
    return Match(user, first_link=True)


def signs_in_only_here(provider: SignInProvider) -> list[User]:
    """The active accounts this provider can sign in that have no password: without it
    they could not sign in at all (a domain has one provider across organisations)."""
    if not provider.email_domains:
        return []
    in_domains = Q()
    for domain in provider.email_domains:
        in_domains |= Q(email__iendswith=f"@{domain}")
    candidates = User.objects.filter(
        in_domains, is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX
    ).order_by("pk")
    return [
        user
        for user in candidates
        if provider.allows_domain(user.email) and _within(provider.organisation, user)
    ]
