"""Decoded session data is remembered by its exact signed text (security/session_engine.py):
what the database holds is still read every time, and a bad signature never gets through."""

from __future__ import annotations

import pytest
from django.test import override_settings

from boundaries.security.session_engine import SessionStore

pytestmark = pytest.mark.django_db


def _saved(**values: object) -> SessionStore:
    store = SessionStore()
    for key, value in values.items():
        store[key] = value
    store.save()
    return store


def test_a_change_saved_by_another_server_is_read_at_the_next_load() -> None:
    key = _saved(step=1).session_key
    assert SessionStore(key)["step"] == 1
    elsewhere = SessionStore(key)
    elsewhere["step"] = 2
    elsewhere.save()
    assert SessionStore(key)["step"] == 2


def test_a_tampered_session_is_empty_every_time() -> None:
    store = _saved(step=1)
    text = SessionStore().encode({"step": 1})
    tampered = text[:-3] + ("AAA" if not text.endswith("AAA") else "BBB")
    for _ in range(2):
        assert SessionStore(store.session_key).decode(tampered) == {}


def test_changing_what_a_load_returned_does_not_change_the_next_load() -> None:
    key = _saved(trail=["a"], nested={"x": [1]}).session_key
    first = SessionStore(key)
    first["trail"].append("b")
    first["nested"]["x"].append(2)
    again = SessionStore(key)
    assert again["trail"] == ["a"] and again["nested"] == {"x": [1]}


def test_a_session_signed_with_a_retired_key_is_refused_once_the_key_goes() -> None:
    with override_settings(SECRET_KEY="old-" + "k" * 60):
        text = SessionStore().encode({"step": 1})
        assert SessionStore().decode(text) == {"step": 1}
    with override_settings(SECRET_KEY="new-" + "k" * 60, SECRET_KEY_FALLBACKS=["old-" + "k" * 60]):
        assert SessionStore().decode(text) == {"step": 1}
    with override_settings(SECRET_KEY="new-" + "k" * 60, SECRET_KEY_FALLBACKS=[]):
        assert SessionStore().decode(text) == {}
