"""Device cookies (ASVS 5.0 V6.1.1): whoever knows a username can lock out browsers that
have never signed in to that account, but not the owner's own browser, which keeps its own
small allowance; the per-address limit holds for everyone."""

from __future__ import annotations

import re
import time

from django.core import signing
from django.test import Client

from boundaries.core.models import AuditEvent
from boundaries.security import device_cookies
from boundaries.security.models import FailureCounter
from tests.cast import PASSWORD, Cast

LOCKED = "Too many failed attempts to sign in"
WRONG = "wrong password!"


def _sign_in(client: Client, username: str, password: str) -> str:
    response = client.post("/sign-in/", {"username": username, "password": password})
    return "" if response.status_code == 302 else response.text


def _owners_browser(username: str = "teacher", address: str = "192.0.2.10") -> Client:
    """A browser that has signed in to the account before, and signed out."""
    browser = Client(REMOTE_ADDR=address)
    assert _sign_in(browser, username, PASSWORD) == ""
    browser.post("/sign-out/")
    return browser


def _attack(username: str, times: int = 5) -> Client:
    attacker = Client(REMOTE_ADDR="198.51.100.66")
    for _ in range(times):
        assert LOCKED not in _sign_in(attacker, username, WRONG)
    return attacker


def test_a_stranger_locks_out_other_browsers_but_not_the_owners(cast: Cast) -> None:
    owner = _owners_browser()
    attacker = _attack("teacher")
    assert LOCKED in _sign_in(attacker, "teacher", PASSWORD)
    assert LOCKED in _sign_in(Client(REMOTE_ADDR="192.0.2.11"), "teacher", PASSWORD)
    assert _sign_in(owner, "teacher", PASSWORD) == ""
    assert owner.get("/o/rivington/").status_code == 200
    # The owner signing in does not give the stranger a fresh allowance.
    assert LOCKED in _sign_in(attacker, "teacher", PASSWORD)


def test_the_owners_browser_has_its_own_small_allowance(cast: Cast) -> None:
    owner = _owners_browser()
    laptop = _owners_browser(address="192.0.2.12")
    for _ in range(5):
        assert LOCKED not in _sign_in(owner, "teacher", WRONG)
    assert LOCKED in _sign_in(owner, "teacher", PASSWORD)
    assert _sign_in(laptop, "teacher", PASSWORD) == ""
    assert _sign_in(Client(REMOTE_ADDR="192.0.2.13"), "teacher", PASSWORD) == ""
    event = AuditEvent.objects.get(action="security.sign_in_locked")
    assert event.after["scope"] == "device"


def test_a_device_cookie_counts_only_for_its_own_account(cast: Cast) -> None:
    browser = _owners_browser("teacher")
    _attack("governor")
    assert LOCKED in _sign_in(browser, "governor", PASSWORD)
    assert _sign_in(browser, "teacher", PASSWORD) == ""


def test_the_per_address_limit_holds_for_trusted_browsers_too(
    cast: Cast,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    owner = _owners_browser()
    settings.SIGNIN_MAX_FAILURES_PER_ADDRESS = 3
    for name in ("a", "b", "c"):
        _sign_in(owner, name, WRONG)
    assert LOCKED in _sign_in(owner, "teacher", PASSWORD)


def test_the_cookie_is_http_only_signed_and_says_nothing_else(cast: Cast) -> None:
    browser = Client()
    assert _sign_in(browser, "teacher", PASSWORD) == ""
    cookie = browser.cookies["signin-device"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/"
    assert cookie["max-age"] == device_cookies.DEVICE_COOKIE_DAYS * 86400
    assert "teacher" not in cookie.value and PASSWORD not in cookie.value
    [[account, nonce, _]] = signing.loads(cookie.value, salt=device_cookies.SALT)
    assert account == cast.teacher.pk and len(nonce) >= 20
    keys = set(FailureCounter.objects.values_list("key", flat=True))
    assert nonce not in str(keys)


def test_in_production_the_cookie_is_secure_and_host_only(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_COOKIE_SECURE = True
    browser = Client()
    browser.post("/sign-in/", {"username": "teacher", "password": PASSWORD}, secure=True)
    cookie = browser.cookies["__Host-signin-device"]
    assert cookie["secure"] and cookie["httponly"]


def test_a_tampered_or_expired_cookie_counts_for_nothing(cast: Cast) -> None:
    owner = _owners_browser()
    _attack("teacher")
    value = owner.cookies["signin-device"].value
    tampered = Client(REMOTE_ADDR="192.0.2.10")
    tampered.cookies["signin-device"] = value[:-2] + ("AA" if value[-2:] != "AA" else "BB")
    assert LOCKED in _sign_in(tampered, "teacher", PASSWORD)
    old = int(time.time()) - (device_cookies.DEVICE_COOKIE_DAYS * 86400 + 60)
    [[account, nonce, _]] = signing.loads(value, salt=device_cookies.SALT)
    expired = Client(REMOTE_ADDR="192.0.2.10")
    expired.cookies["signin-device"] = signing.dumps(
        [[account, nonce, old]], salt=device_cookies.SALT
    )
    assert LOCKED in _sign_in(expired, "teacher", PASSWORD)
    assert _sign_in(owner, "teacher", PASSWORD) == ""


def test_each_sign_in_gives_a_fresh_entry_and_a_browser_remembers_five_accounts(
    cast: Cast,
) -> None:
    browser = Client()
    nonces = []
    for name in ("teacher", "teacher", "governor", "head", "dsl", "hr", "admin"):
        assert _sign_in(browser, name, PASSWORD) == ""
        browser.post("/sign-out/")
        entries = signing.loads(browser.cookies["signin-device"].value, salt=device_cookies.SALT)
        nonces.append(entries[0][1])
    assert len(set(nonces)) == len(nonces)
    assert len(entries) == device_cookies.ACCOUNTS_PER_BROWSER
    assert [e[0] for e in entries] == [
        u.pk for u in (cast.admin, cast.hr, cast.dsl, cast.head, cast.governor)
    ]


def test_locked_answers_read_the_same_with_or_without_a_cookie(cast: Cast) -> None:
    """A locked-out stranger learns nothing from the page about the account or the lock."""
    _attack("teacher")
    _attack("nobody-here")
    strip = re.compile(r'(name="csrfmiddlewaretoken" value|nonce|value)="[^"]*"')
    pages = [
        strip.sub("", _sign_in(Client(), name, PASSWORD)) for name in ("teacher", "nobody-here")
    ]
    assert pages[0] == pages[1] and LOCKED in pages[0]
