"""Whatever is typed, the check answers with a verdict or a clear refusal, never a crash."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cast import Cast
from tests.screening.conftest import sign_in

AUDIENCES = st.sampled_from(["public", "friends", "pupil", "parent", "staff_group", "colleague"])


@pytest.fixture
def without_rate_limits(settings: Any) -> None:  # pytest-django's settings, not hypothesis'
    """Sixty checks in a row by one person would pass the post-check limit."""
    settings.RATE_LIMITS_ENABLED = False


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.text(max_size=400), audience=AUDIENCES)
def test_any_text_gets_a_verdict_or_a_clear_refusal(
    school_cast: Cast, client: Client, without_rate_limits: None, text: str, audience: str
) -> None:
    reply = sign_in(client, "teacher").post(
        "/api/v1/screen",
        {"text": text, "audience": audience, "organisation": "rivington"},
        content_type="application/json",
    )
    assert reply.status_code in (200, 400), reply.text
    if reply.status_code == 200:
        body = reply.json()
        assert body["verdict"] in ("ok", "caution", "stop")
        for finding in body["findings"]:
            assert text[finding["start"] : finding["end"]] == finding["words"]


@pytest.mark.parametrize("text", ["\x00", "a\x00b", "\u202e reversed", "\U0001f600" * 10])
def test_odd_characters_on_the_page_are_refused_or_checked(
    school_cast: Cast, client: Client, text: str
) -> None:
    page = sign_in(client, "teacher").post(
        "/o/rivington/check/", {"text": text, "audience": "public"}
    )
    assert page.status_code == 200
    assert "data-verdict" in page.text or "There is a problem" in page.text
