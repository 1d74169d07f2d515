"""Authenticator secrets and providers' client secrets are sealed in the database under
FIELD_ENCRYPTION_KEY, which is not in it: the raw columns, an export and (in
test_backup_restore) a backup reveal neither; rotation and a wrong key behave clearly."""

from __future__ import annotations

import io
import re
import secrets
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from boundaries.cli import app
from boundaries.cli.errors import run_cli
from boundaries.core.models import AuditEvent, User
from boundaries.security import actions, encryption, totp
from boundaries.security.models import SignInProvider, TotpDevice
from tests.cast import PASSWORD, Cast, make_cast
from tests.security.signin import enrol_totp, sign_in_with_code
from tests.security.test_production_settings import _production

OLD_KEY = "old-" + "k" * 40
NEW_KEY = "new-" + "n" * 40


def _row(table: str, where: str, value: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE {where} = %s", [value])
        row = cursor.fetchone()
    assert row is not None
    return [str(v) for v in row]


def _provider(cast: Cast, secret: str) -> SignInProvider:
    wanted = actions.ProviderSettings(
        "entra",
        "https://login.example/tenant/v2.0",
        "boundaries",
        ("rivington.example",),
        True,
        False,
    )
    return actions.add_provider(cast.school, wanted, secret, actor=cast.head)


def test_an_authenticator_secret_is_not_in_its_row_in_clear(cast: Cast) -> None:
    secret = enrol_totp(cast.teacher)
    row = " ".join(_row("security_totpdevice", "user_id", cast.teacher.pk))
    for form in (secret, secret.lower(), totp.grouped(secret)):
        assert form not in row
    assert re.search(r"v1:[0-9a-f]{12}:", row)
    assert TotpDevice.objects.get(user=cast.teacher).secret == secret


def test_a_providers_client_secret_is_not_in_its_row_in_clear(cast: Cast) -> None:
    secret = "provider-" + secrets.token_urlsafe(24)
    provider = _provider(cast, secret)
    row = " ".join(_row("security_signinprovider", "id", provider.pk))
    assert secret not in row and "v1:" in row
    assert SignInProvider.objects.get(pk=provider.pk).client_secret == secret


def test_an_export_of_the_database_holds_neither_secret(cast: Cast) -> None:
    totp_secret = enrol_totp(cast.head)
    client_secret = "provider-" + secrets.token_urlsafe(24)
    _provider(cast, client_secret)
    out = io.StringIO()
    call_command("dumpdata", "security", "core", stdout=out)
    assert "sealed_secret" in out.getvalue()
    assert totp_secret not in out.getvalue() and client_secret not in out.getvalue()


@pytest.mark.mfa_required
def test_signing_in_with_a_code_works_with_the_secret_sealed(cast: Cast, client: Client) -> None:
    enrol_totp(cast.head)
    sign_in_with_code(client, cast.head)
    assert client.get("/o/rivington/").status_code == 200


def test_a_secret_copied_onto_another_persons_row_does_not_open(cast: Cast) -> None:
    enrol_totp(cast.teacher)
    enrol_totp(cast.dsl)
    theirs = TotpDevice.objects.get(user=cast.teacher).sealed_secret
    TotpDevice.objects.filter(user=cast.dsl).update(sealed_secret=theirs)
    with pytest.raises(encryption.EncryptionKeyError, match="copied from another record"):
        _ = TotpDevice.objects.get(user=cast.dsl).secret


def _rotate(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "argv", ["boundaries", "security", "rotate-key", *args])
    code = run_cli(app)
    return code, capsys.readouterr()


@pytest.mark.mfa_required
def test_rotating_the_key_seals_everything_again_and_sign_in_goes_on(
    cast: Cast,
    client: Client,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings.FIELD_ENCRYPTION_KEY = OLD_KEY
    old_id = encryption.current_key().id
    enrol_totp(cast.head)
    client_secret = "provider-" + secrets.token_urlsafe(24)
    _provider(cast, client_secret)

    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = NEW_KEY, [OLD_KEY]
    new_id = encryption.current_key().id
    assert new_id != old_id
    sign_in_with_code(client, cast.head)  # opens with the old key until the rotation

    code, out = _rotate(monkeypatch, capsys, "--dry-run")
    assert code == 0 and "2 secrets would be sealed again" in out.out
    assert f"v1:{old_id}:" in " ".join(_row("security_totpdevice", "user_id", cast.head.pk))

    code, out = _rotate(monkeypatch, capsys)
    assert code == 0, out.err
    assert f"2 secrets sealed again under key {new_id}; 0 already were" in out.out
    assert f"v1:{new_id}:" in " ".join(_row("security_totpdevice", "user_id", cast.head.pk))
    event = AuditEvent.objects.get(action="security.secrets_resealed")
    assert event.after == {"key": new_id, "resealed": 2}

    settings.FIELD_ENCRYPTION_OLD_KEYS = []  # the old key retired
    assert SignInProvider.objects.get().client_secret == client_secret
    client.post("/sign-out/")
    sign_in_with_code(client, cast.head)
    code, out = _rotate(monkeypatch, capsys)
    assert "0 secrets sealed again" in out.out and "2 already were" in out.out


def test_a_wrong_key_says_which_key_is_needed_and_changes_nothing(
    cast: Cast, settings: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.FIELD_ENCRYPTION_KEY = OLD_KEY
    old_id = encryption.current_key().id
    enrol_totp(cast.teacher)
    before = _row("security_totpdevice", "user_id", cast.teacher.pk)
    settings.FIELD_ENCRYPTION_KEY = NEW_KEY
    with pytest.raises(encryption.EncryptionKeyError) as wrong:
        _ = TotpDevice.objects.get(user=cast.teacher).secret
    assert f"sealed with key {old_id}, which is not configured" in str(wrong.value)
    assert "FIELD_ENCRYPTION_OLD_KEYS" in str(wrong.value)

    code, out = _rotate(monkeypatch, capsys)
    assert code == 1
    assert out.err.startswith("error: A secret was sealed with key " + old_id)
    assert out.err.strip().endswith("Nothing was changed.")
    assert _row("security_totpdevice", "user_id", cast.teacher.pk) == before


@pytest.mark.mfa_required
def test_with_the_wrong_key_the_code_page_says_sign_in_is_unavailable_and_logs_why(
    cast: Cast, client: Client, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.FIELD_ENCRYPTION_KEY = OLD_KEY
    old_id = encryption.current_key().id
    enrol_totp(cast.head)
    settings.FIELD_ENCRYPTION_KEY = NEW_KEY
    client.post("/sign-in/", {"username": "head", "password": PASSWORD})
    response = client.post("/sign-in/code/", {"code": "123456"})
    assert response.status_code == 503
    assert "Sign-in is not working at the moment" in response.text
    assert old_id not in response.text and "FIELD_ENCRYPTION" not in response.text
    assert any(old_id in r.getMessage() for r in caplog.records if r.levelname == "ERROR")
    assert client.get("/o/rivington/").status_code == 302  # still not past the second factor


def test_a_site_that_ran_without_the_key_moves_to_one(cast: Cast, settings: Any) -> None:
    """Development seals with a key derived from SECRET_KEY; `secret-key:<that key>` in
    the old keys opens what it sealed once FIELD_ENCRYPTION_KEY is set."""
    settings.FIELD_ENCRYPTION_KEY = ""
    secret = enrol_totp(cast.teacher)
    settings.FIELD_ENCRYPTION_KEY = NEW_KEY
    settings.FIELD_ENCRYPTION_OLD_KEYS = [f"secret-key:{settings.SECRET_KEY}"]
    assert actions.reseal_secrets().resealed == 1
    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    assert TotpDevice.objects.get(user=cast.teacher).secret == secret


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("os.environ.pop('FIELD_ENCRYPTION_KEY')", "FIELD_ENCRYPTION_KEY must be set"),
        ("os.environ['FIELD_ENCRYPTION_KEY'] = 'short'", "FIELD_ENCRYPTION_KEY must be set"),
        (
            "os.environ['FIELD_ENCRYPTION_KEY'] = os.environ['SECRET_KEY']",
            "must not be the same as SECRET_KEY",
        ),
    ],
)
def test_production_refuses_to_start_without_its_own_field_key(
    tmp_path: Path, setting: str, message: str
) -> None:
    result = _production(
        tmp_path, f"import os; {setting}; from django.conf import settings; settings.DEBUG"
    )
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_secrets_stored_in_clear_and_can_go_back() -> None:
    cast = make_cast()
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("security")
    executor.migrate([("security", "0002_signinprovider")])
    plain_totp, plain_client = totp.new_secret(), "clear-" + secrets.token_urlsafe(16)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO security_totpdevice (user_id, secret, created_at, last_step)"
            " VALUES (%s, %s, %s, 0)",
            [cast.teacher.pk, plain_totp, timezone.now()],
        )
        cursor.execute(
            "INSERT INTO security_signinprovider (organisation_id, kind, issuer, client_id,"
            " client_secret, email_domains, trusts_provider_mfa, enabled)"
            " VALUES (%s, 'google', 'https://accounts.google.com', 'id', %s, '[]', false, true)",
            [cast.school.pk, plain_client],
        )

    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    assert plain_totp not in " ".join(_row("security_totpdevice", "user_id", cast.teacher.pk))
    assert TotpDevice.objects.get(user=cast.teacher).secret == plain_totp
    assert SignInProvider.objects.get().client_secret == plain_client

    executor = MigrationExecutor(connection)
    executor.migrate([("security", "0002_signinprovider")])
    assert plain_totp in _row("security_totpdevice", "user_id", cast.teacher.pk)
    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    assert User.objects.filter(pk=cast.teacher.pk).exists()
