"""POST /api/v1/screen with an API token or a session; nothing stored."""

from __future__ import annotations

import pytest
from django.test import Client

from boundaries.api.tokens import issue_token, revoke_token
from boundaries.core.models import AuditEvent
from tests.cast import Cast
from tests.screening.conftest import sign_in

EVENING = "2026-03-04T19:30:00"


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post(client: Client, body: dict, **headers: str):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/screen", body, content_type="application/json", **headers)


def test_a_screen_token_checks_against_its_own_schools_context(
    school_cast: Cast, client: Client
) -> None:
    _, secret = issue_token(school_cast.school, name="MIS", scopes=["screen"], actor=None)
    events = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    reply = post(
        client,
        {
            "text": "Amelia Hartley's EHCP meeting was a disaster",
            "audience": "staff_group",
            "posted_at": EVENING,
        },
        **bearer(secret),
    )
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["organisation"] == "rivington"
    assert body["verdict"] == "stop"
    finding = next(f for f in body["findings"] if f["clause"] == "5")
    assert finding["words"] == body_text_slice(body, finding)
    assert {"message", "suggestion", "severity", "code", "clause_url"} <= set(finding)
    new = AuditEvent.objects.filter(seq__gt=events).values_list("action", flat=True)
    assert list(new) == ["calendar.created_default"]  # the first check gives the school a calendar


def body_text_slice(body: dict, finding: dict) -> str:
    text = "Amelia Hartley's EHCP meeting was a disaster"
    return text[finding["start"] : finding["end"]]


@pytest.mark.parametrize(
    ("scopes", "revoked", "status"),
    [(["read"], False, 403), (["screen"], True, 401), (["read", "screen"], False, 200)],
)
def test_tokens_need_the_screen_scope_and_must_be_live(
    school_cast: Cast, client: Client, scopes, revoked, status
) -> None:
    token, secret = issue_token(school_cast.school, name="t", scopes=scopes, actor=None)
    if revoked:
        revoke_token(token, actor=None)
    assert post(client, {"text": "hello"}, **bearer(secret)).status_code == status


def test_a_token_cannot_check_for_another_school(school_cast: Cast, client: Client) -> None:
    _, secret = issue_token(school_cast.school, name="t", scopes=["screen"], actor=None)
    reply = post(client, {"text": "hello", "organisation": "brookside"}, **bearer(secret))
    assert reply.status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"text": "hi", "audience": "everyone"}, 400, "audience must be one of"),
        ({"text": "   "}, 400, "text must be"),
        ({"text": "x" * 5001}, 400, "text must be"),
        ({"audience": "public"}, 422, ""),
        ({"text": "hi", "posted_at": "yesterday-ish"}, 422, ""),
    ],
)
def test_bad_requests_say_what_is_wrong(
    school_cast: Cast, client: Client, body, status, detail
) -> None:
    reply = post(sign_in(client, "teacher"), {**body, "organisation": "rivington"})
    assert reply.status_code == status
    assert detail in reply.text


def test_a_signed_in_teacher_with_one_school_need_not_name_it(
    school_cast: Cast, client: Client
) -> None:
    reply = post(
        sign_in(client, "teacher"), {"text": "Ring me on 07700 900123", "audience": "parent"}
    )
    assert reply.status_code == 200
    assert reply.json()["verdict"] == "stop"


def test_another_schools_head_gets_404(school_cast: Cast, client: Client) -> None:
    reply = post(sign_in(client, "otherhead"), {"text": "hi", "organisation": "rivington"})
    assert reply.status_code == 404


def test_anonymous_requests_are_refused(school_cast: Cast, client: Client) -> None:
    assert post(client, {"text": "hi"}).status_code == 401


def test_the_endpoint_is_in_the_openapi_schema(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/screen"]["post"]
    assert "text" in str(operation["requestBody"]) or "ScreenIn" in str(operation)
    assert "200" in operation["responses"]
