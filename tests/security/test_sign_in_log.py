"""Each authentication attempt leaves a line in the `boundaries.security` log (ASVS 5.0
V16.3.1): what was tried, whether it worked, the account when known and the client
address; never the password, the code, or a name that matches no account."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

from tests.cast import PASSWORD, Cast
from tests.security.signin import enrol_totp, fresh_code

WRONG = "a wrong password typed here"


def _logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        f"{r.levelname} {r.getMessage()}" for r in caplog.records if r.name == "boundaries.security"
    ]


def _sign_in(client: Client, username: str, password: str) -> int:
    return client.post("/sign-in/", {"username": username, "password": password}).status_code


def test_a_password_sign_in_is_logged_with_the_account_and_address(
    cast: Cast, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="boundaries.security")
    assert _sign_in(client, "teacher", PASSWORD) == 302
    assert _logged(caplog) == [
        f"INFO authentication succeeded factor=password account={cast.teacher.pk}:teacher "
        "address=127.0.0.1"
    ]


@pytest.mark.parametrize(
    ("username", "account"),
    [("teacher", "{pk}:teacher"), ("teacher@rivington.example", "{pk}:teacher")],
)
def test_a_wrong_password_is_logged_without_the_password(
    cast: Cast,
    client: Client,
    caplog: pytest.LogCaptureFixture,
    username: str,
    account: str,
) -> None:
    caplog.set_level(logging.INFO, logger="boundaries.security")
    assert _sign_in(client, username, WRONG) == 200
    expected = account.format(pk=cast.teacher.pk)
    assert _logged(caplog) == [
        f"WARNING authentication failed factor=password reason=wrong account={expected} "
        "address=127.0.0.1"
    ]
    assert WRONG not in caplog.text


def test_a_name_that_matches_no_account_is_not_logged(
    cast: Cast, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="boundaries.security")
    _sign_in(client, "my-password-in-the-wrong-box", WRONG)
    assert _logged(caplog) == [
        "WARNING authentication failed factor=password reason=wrong account=unknown "
        "address=127.0.0.1"
    ]
    assert "wrong-box" not in caplog.text


def test_the_lockout_and_each_refusal_while_locked_are_logged(
    cast: Cast, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="boundaries.security")
    for _ in range(5):
        _sign_in(client, "teacher", WRONG)
    _sign_in(client, "teacher", PASSWORD)
    logged = _logged(caplog)
    account = f"account={cast.teacher.pk}:teacher address=127.0.0.1"
    assert (
        logged.count(f"WARNING authentication failed factor=password reason=wrong {account}") == 5
    )
    assert logged[-2] == f"WARNING authentication locked scope=account {account}"
    assert logged[-1] == f"WARNING authentication failed factor=password reason=locked {account}"


def test_codes_are_logged_right_and_wrong_without_the_code(
    cast: Cast, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    enrol_totp(cast.teacher)
    caplog.set_level(logging.INFO, logger="boundaries.security")
    _sign_in(client, "teacher", PASSWORD)
    client.post("/sign-in/code/", {"code": "424242"})
    client.post("/sign-in/code/", {"code": fresh_code(cast.teacher)})
    account = f"account={cast.teacher.pk}:teacher address=127.0.0.1"
    assert _logged(caplog) == [
        f"INFO authentication succeeded factor=password {account}",
        f"WARNING authentication failed factor=code reason=wrong {account}",
        f"INFO authentication succeeded factor=totp {account}",
    ]
    assert "424242" not in caplog.text


def test_five_wrong_codes_log_the_lock(
    cast: Cast, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    enrol_totp(cast.teacher)
    _sign_in(client, "teacher", PASSWORD)
    caplog.set_level(logging.INFO, logger="boundaries.security")
    for _ in range(5):
        client.post("/sign-in/code/", {"code": "000000"})
    assert _logged(caplog)[-1] == (
        f"WARNING authentication locked scope=second_factor account={cast.teacher.pk}:teacher "
        "address=127.0.0.1"
    )


def test_a_forwarded_address_cannot_break_the_line(
    cast: Cast, caplog: pytest.LogCaptureFixture, settings: Any
) -> None:
    settings.TRUST_X_FORWARDED_FOR = True
    caplog.set_level(logging.INFO, logger="boundaries.security")
    client = Client(HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.9 account=1:admin\nINFO fake")
    _sign_in(client, "teacher", WRONG)
    [line] = _logged(caplog)
    assert "\n" not in line
    assert line.endswith("address=203.0.113.9?account=1:admin?INFO?fake")
