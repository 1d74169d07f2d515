"""Recovery codes are kept as salted Argon2id hashes (ASVS 5.0 V6.5.2); codes printed
before that, kept as keyed SHA-256, still work once."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.utils import timezone

from boundaries.core.models import User
from boundaries.security import actions, totp
from boundaries.security.keys import keyed_hash
from boundaries.security.models import RecoveryCode
from tests.cast import PASSWORD, Cast
from tests.security.signin import enrol_totp

pytestmark = pytest.mark.mfa_required


def _sign_in_with_recovery_code(client: Client, user: User, code: str) -> int:
    client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    return client.post("/sign-in/code/", {"code": code}).status_code


def _old_style_codes(user: User, codes: list[str]) -> None:
    """Replace the person's codes with ones stored as they were before V6.5.2."""
    RecoveryCode.objects.filter(user=user).delete()
    for code in codes:
        digest = keyed_hash("recovery", code.replace("-", ""))
        RecoveryCode.objects.create(user=user, code_hash=digest, created_at=timezone.now())


def test_each_code_is_stored_as_an_argon2id_hash_with_its_own_salt(cast: Cast) -> None:
    enrol_totp(cast.teacher)
    codes = actions.regenerate_recovery_codes(cast.teacher)
    stored = list(
        RecoveryCode.objects.filter(user=cast.teacher).values_list("code_hash", flat=True)
    )
    assert len(stored) == 10
    assert all(s.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$") for s in stored)
    salts = {s.split("$")[4] for s in stored}
    assert len(salts) == 10
    assert not any(code.replace("-", "") in s for code in codes for s in stored)
    again = totp.recovery_hash(codes[0])
    assert again != totp.recovery_hash(codes[0])  # a new salt each time
    assert totp.RECOVERY_HASHER.verify(codes[0].replace("-", ""), again)


def test_a_hashed_code_works_once_typed_in_any_case_and_spacing(cast: Cast, client: Client) -> None:
    enrol_totp(cast.teacher)
    codes = actions.regenerate_recovery_codes(cast.teacher)
    typed = codes[3].upper().replace("-", " ")
    assert _sign_in_with_recovery_code(client, cast.teacher, typed) == 302
    assert RecoveryCode.objects.filter(user=cast.teacher, used_at__isnull=False).count() == 1
    second = Client()
    assert _sign_in_with_recovery_code(second, cast.teacher, codes[3]) == 200
    assert "not right or has been used" in second.post("/sign-in/code/", {"code": codes[3]}).text


def test_a_code_printed_before_the_change_works_once(cast: Cast, client: Client) -> None:
    enrol_totp(cast.teacher)
    printed = ["abcde-fghjk", "mnpqr-stuvw"]
    _old_style_codes(cast.teacher, printed)
    assert _sign_in_with_recovery_code(client, cast.teacher, printed[1]) == 302
    again = Client()
    assert _sign_in_with_recovery_code(again, cast.teacher, printed[1]) == 200
    assert _sign_in_with_recovery_code(Client(), cast.teacher, printed[0]) == 302


def test_old_printed_codes_stop_when_new_codes_are_made(cast: Cast, client: Client) -> None:
    enrol_totp(cast.teacher)
    _old_style_codes(cast.teacher, ["abcde-fghjk"])
    actions.regenerate_recovery_codes(cast.teacher)
    assert _sign_in_with_recovery_code(client, cast.teacher, "abcde-fghjk") == 200
    assert not RecoveryCode.objects.filter(user=cast.teacher, code_hash__regex=r"^[0-9a-f]{64}$")


def test_a_wrong_recovery_code_counts_toward_the_code_throttle(cast: Cast, client: Client) -> None:
    enrol_totp(cast.teacher)
    actions.regenerate_recovery_codes(cast.teacher)
    client.post("/sign-in/", {"username": "teacher", "password": PASSWORD})
    for _ in range(4):
        page = client.post("/sign-in/code/", {"code": "zzzzz-zzzzz"})
        assert page.status_code == 200
    last = client.post("/sign-in/code/", {"code": "zzzzz-zzzzz"})
    assert last.status_code == 302 and last["Location"].startswith("/sign-in/")
    assert client.get("/o/rivington/").status_code == 302


def test_nothing_about_the_codes_is_logged(
    cast: Cast, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    enrol_totp(cast.teacher)
    codes = actions.regenerate_recovery_codes(cast.teacher)
    stored = list(RecoveryCode.objects.values_list("code_hash", flat=True))
    with caplog.at_level(logging.DEBUG):
        _sign_in_with_recovery_code(client, cast.teacher, codes[0])
        _sign_in_with_recovery_code(Client(), cast.teacher, "zzzzz-zzzzz")
    logged = caplog.text
    assert "sign" in logged.lower()  # the sign-in log did write
    for secret in [*codes, *(c.replace("-", "") for c in codes), "zzzzz", *stored]:
        assert secret not in logged
