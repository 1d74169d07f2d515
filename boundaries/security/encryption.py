"""Secrets kept at rest — authenticator (TOTP) secrets and identity providers' client
secrets — sealed with AES-256-GCM under a key that is never in the database.

Why: a copy of the database (a dump, a backup, a stolen disk) must not be enough to
generate someone's codes or to impersonate the school to its identity provider (ASVS 5.0
V11.3, V13.3). The key comes from `FIELD_ENCRYPTION_KEY`; in development it is derived
from SECRET_KEY with HKDF under its own label, and production refuses to start without it.

A sealed value reads `v1:<key id>:<base64 of nonce + ciphertext>`. The key id (a keyed hash
of the key, never the key) says which key sealed it, so that after a rotation old values
open with a key listed in `FIELD_ENCRYPTION_OLD_KEYS` until `boundaries security rotate-key`
has sealed them again under the current key, and so that a wrong key gives an error that
says so. Each value is bound to its place (`context`, the GCM associated data): a sealed
secret copied onto another person's row does not open there.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

VERSION = "v1"
SEALED = re.compile(r"^v1:([0-9a-f]{12}):([A-Za-z0-9_-]+=*)$")
# `secret-key:<value>` in FIELD_ENCRYPTION_OLD_KEYS stands for the key development derives
# from that SECRET_KEY: for a site that ran without FIELD_ENCRYPTION_KEY before production.
FROM_SECRET_KEY = "secret-key:"  # noqa: S105 - a prefix, not a key
_KEY_LABEL = b"boundaries field encryption key v1"
_DERIVED_LABEL = b"boundaries field encryption key v1, derived from SECRET_KEY"
_NONCE_BYTES = 12


class EncryptionKeyError(Exception):
    """A sealed secret that cannot be opened with the configured keys; the message says
    which key it needs and what to set."""


@dataclass(frozen=True)
class Key:
    id: str
    material: bytes

    def cipher(self) -> AESGCM:
        return AESGCM(self.material)


def _hkdf(secret: str, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(secret.encode())


def _key(material: bytes) -> Key:
    key_id = hmac.new(material, b"key id", hashlib.sha256).hexdigest()[:12]
    return Key(key_id, material)


def _from_setting(value: str) -> Key:
    if value.startswith(FROM_SECRET_KEY):
        return _key(_hkdf(value.removeprefix(FROM_SECRET_KEY), _DERIVED_LABEL))
    return _key(_hkdf(value, _KEY_LABEL))


def current_key() -> Key:
    """The key new values are sealed with."""
    configured = str(settings.FIELD_ENCRYPTION_KEY)
    return _from_setting(configured or FROM_SECRET_KEY + str(settings.SECRET_KEY))


def keys() -> dict[str, Key]:
    """Every key a value may be opened with, by id: the current one and the old ones."""
    found = [current_key()] + [_from_setting(v) for v in settings.FIELD_ENCRYPTION_OLD_KEYS]
    return {key.id: key for key in reversed(found)}


def is_sealed(value: str) -> bool:
    return SEALED.match(value) is not None


def key_id_of(sealed: str) -> str:
    match = SEALED.match(sealed)
    if match is None:
        raise EncryptionKeyError("This is not a sealed secret (it may be stored in clear)")
    return match.group(1)


def seal(plaintext: str, *, context: str) -> str:
    key = current_key()
    nonce = os.urandom(_NONCE_BYTES)
    body = key.cipher().encrypt(nonce, plaintext.encode(), context.encode())
    return f"{VERSION}:{key.id}:{base64.urlsafe_b64encode(nonce + body).decode()}"


def unseal(sealed: str, *, context: str) -> str:
    key_id = key_id_of(sealed)
    key = keys().get(key_id)
    if key is None:
        raise EncryptionKeyError(
            f"A secret was sealed with key {key_id}, which is not configured (the current "
            f"key is {current_key().id}). Set FIELD_ENCRYPTION_KEY to the key used when it "
            "was stored, or list that key in FIELD_ENCRYPTION_OLD_KEYS."
        )
    try:
        raw = base64.urlsafe_b64decode(sealed.rsplit(":", 1)[1])
        opened = key.cipher().decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context.encode())
    except (InvalidTag, ValueError, binascii.Error):
        raise EncryptionKeyError(
            f"A secret sealed with key {key_id} does not open for {context}: it was changed "
            "or copied from another record"
        ) from None
    return opened.decode()


def reseal(sealed: str, *, context: str) -> str | None:
    """The value sealed again under the current key, or None when it already is."""
    if key_id_of(sealed) == current_key().id:
        unseal(sealed, context=context)  # still proves it opens
        return None
    return seal(unseal(sealed, context=context), context=context)


# Where each sealed column's values belong (the associated data). Kept here, not on the
# models, because the migration that sealed the existing rows uses them too.
def totp_context(user_id: int) -> str:
    return f"security.totpdevice.secret:user={user_id}"


def provider_context(organisation_id: int) -> str:
    return f"security.signinprovider.client_secret:organisation={organisation_id}"
