"""Choosing a new password on the reset page: any composition, digits alone included; no
common passwords; no names of this service, the person's school or their authority."""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from boundaries.core.models import User
from tests.cast import Cast


def _choose_password(client: Client, user: User, password: str) -> tuple[bool, str]:
    """Follow the emailed reset link and choose `password`: accepted, and the page's text."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    form_page = client.get(f"/password-reset/{uid}/{token}/")
    assert form_page.status_code == 302, form_page.status_code
    answer = client.post(
        form_page["Location"], {"new_password1": password, "new_password2": password}
    )
    accepted = answer.status_code == 302 and answer["Location"] == "/password-reset/done/"
    return accepted, answer.text


@pytest.mark.parametrize(
    ("password", "refused_because"),
    [
        ("80417395026418", ""),  # digits alone are fine when long and not common
        ("2718281828459045235360", ""),
        ("123456789123", "too common"),
        ("111111111111111", "too common"),
        ("Boundaries2026!", "name of this service"),
        ("my rivington password", "name of this service, your school"),
        ("Rivington Foundation Primary School", "name of this service, your school"),
        ("TESTSHIRE-council-99", "name of this service, your school"),
        ("brookside meadows 42", ""),  # another school's name is not the teacher's
        ("plum kettles on the boundary", ""),  # a word near the product's name
    ],
)
def test_a_new_password_is_refused_only_for_being_common_or_naming_the_context(
    cast: Cast, client: Client, password: str, refused_because: str
) -> None:
    accepted, page = _choose_password(client, cast.teacher, password)
    if refused_because:
        assert not accepted
        assert refused_because in page.replace("&#x27;", "'")
    else:
        assert accepted, page
        assert Client().login(username="teacher", password=password)


def test_the_authority_admin_may_not_use_the_authority_name(cast: Cast, client: Client) -> None:
    accepted, page = _choose_password(client, cast.admin, "testshire 4 ever and ever")
    assert not accepted and "your authority" in page
    accepted, _ = _choose_password(Client(), cast.admin, "rivington is only a school here")
    assert accepted
