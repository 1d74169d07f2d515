"""Rate limits beyond sign-in (ASVS 5.0 V2.4.1): post checks, uploads and exports per
person, and API calls per token or person, counted in the database and refused with 429."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boundaries.api.tokens import issue_token
from boundaries.security import rate_limits
from boundaries.security.models import RateCount
from tests.acknowledgements.helpers import import_staff
from tests.cast import Cast
from tests.security.signin import sign_in_verified

PAGE_ROUTES = [name for name in rate_limits.ROUTE_LIMITS if not name.startswith("api-v1:")]
API_ROUTES = [name for name in rate_limits.ROUTE_LIMITS if name.startswith("api-v1:")]


@pytest.fixture
def limits(settings: Any) -> Any:
    """Every limit at one, so the second request of a kind is refused."""
    for kind in (rate_limits.API, rate_limits.POST_CHECK, rate_limits.UPLOAD, rate_limits.EXPORT):
        setattr(settings, kind.setting, 1)
    return settings


def _url(name: str) -> str:
    kwargs: dict[str, Any] = {"org": "rivington"}
    if name == "concerns:attach":
        kwargs["pk"] = 1
    return reverse(name, kwargs=kwargs)


def _send(client: Client, name: str) -> Any:
    """Exports are downloaded; the rest count when a form is sent."""
    if rate_limits.ROUTE_LIMITS[name].kind is rate_limits.EXPORT:
        return client.get(_url(name))
    return client.post(_url(name), {})


@pytest.mark.parametrize("name", PAGE_ROUTES)
def test_a_person_past_a_pages_limit_is_told_when_to_try_again_and_colleagues_are_not(
    cast: Cast, limits: Any, name: str
) -> None:
    head, dsl = Client(), Client()
    sign_in_verified(head, cast.head)
    sign_in_verified(dsl, cast.dsl)
    assert _send(head, name).status_code != 429
    refused = _send(head, name)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    kind = rate_limits.ROUTE_LIMITS[name].kind
    assert f"You have made too many {kind.what}" in refused.text
    assert "Try again in" in refused.text
    assert _send(dsl, name).status_code != 429


def test_showing_a_form_is_not_counted_only_sending_it(cast: Cast, limits: Any) -> None:
    client = Client()
    sign_in_verified(client, cast.teacher)
    for _ in range(3):
        assert client.get("/o/rivington/check/").status_code == 200
    assert client.post("/o/rivington/check/", {"text": "Lovely trip today"}).status_code == 200
    assert client.post("/o/rivington/check/", {"text": "Lovely trip"}).status_code == 429


def _token(cast: Cast, name: str, scopes: list[str]) -> dict[str, Any]:
    _, secret = issue_token(cast.school, name=name, scopes=scopes, actor=cast.head)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


API_CALLS: list[tuple[str, str, dict[str, Any]]] = [
    ("get", "/api/v1/organisations/rivington/policies", {}),
    ("get", "/api/v1/organisations/rivington/to-read", {}),
    ("post", "/api/v1/screen", {"data": {"text": "Hello"}, "content_type": "application/json"}),
]


@pytest.mark.parametrize(("method", "path", "extra"), API_CALLS)
def test_a_token_past_its_api_limit_gets_a_json_429_and_another_token_does_not(
    cast: Cast, limits: Any, client: Client, method: str, path: str, extra: dict[str, Any]
) -> None:
    limits.RATE_LIMIT_POST_CHECKS_PER_MINUTE = 100
    first, second = _token(cast, "intranet", ["read", "screen"]), _token(cast, "app", ["read"])
    call = getattr(client, method)
    assert call(path, **extra, **first).status_code != 429
    refused = call(path, **extra, **first)
    assert refused.status_code == 429
    body = refused.json()
    assert body["detail"].startswith("Too many API calls: the limit is 1 a minute. Try again in")
    assert 1 <= body["retry_after"] <= 60 and refused["Retry-After"] == str(body["retry_after"])
    assert client.get("/api/v1/organisations/rivington/policies", **second).status_code == 200


def test_a_person_calling_the_api_with_their_session_has_a_limit_of_their_own(
    cast: Cast, limits: Any
) -> None:
    head, dsl = Client(), Client()
    sign_in_verified(head, cast.head)
    sign_in_verified(dsl, cast.dsl)
    assert head.get("/api/v1/organisations").status_code == 200
    assert head.get("/api/v1/organisations").status_code == 429
    assert dsl.get("/api/v1/organisations").status_code == 200


@pytest.mark.parametrize("name", API_ROUTES)
def test_an_api_post_check_or_upload_also_counts_against_its_own_kind(
    cast: Cast, limits: Any, client: Client, name: str
) -> None:
    limits.RATE_LIMIT_API_PER_MINUTE = 100
    auth = _token(cast, "intranet", ["read", "screen"])
    kwargs = {"org": "rivington"} if name != "api-v1:screen" else {}
    if name == "api-v1:import_csv":
        kwargs["kind"] = "staff"
    url = reverse(name, kwargs=kwargs)
    assert client.post(url, {}, **auth).status_code != 429
    refused = client.post(url, {}, **auth)
    assert refused.status_code == 429
    kind = rate_limits.ROUTE_LIMITS[name].kind
    assert refused.json()["detail"].startswith(f"Too many {kind.what}")
    assert client.get("/api/v1/organisations/rivington/policies", **auth).status_code == 200


def test_the_openapi_schema_describes_the_429_answer_of_every_operation(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    body = schema["components"]["schemas"]["RateLimited"]
    assert body["required"] == ["detail", "retry_after"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            answer = operation["responses"].get("429")
            assert answer is not None, f"{method.upper()} {path} does not document 429"
            assert "Retry-After" in answer["headers"]


def test_the_wait_is_until_the_window_ends_and_the_next_window_starts_afresh(
    db: None, settings: Any
) -> None:
    settings.RATE_LIMIT_POST_CHECKS_PER_MINUTE = 2
    start = 1_800_000_000.0  # a whole minute
    kind = rate_limits.POST_CHECK
    assert rate_limits.take(kind, "user:1", now=start + 1) is None
    assert rate_limits.take(kind, "user:1", now=start + 2) is None
    refusal = rate_limits.take(kind, "user:1", now=start + 15)
    assert refusal is not None and refusal.retry_after == 45
    assert rate_limits.take(kind, "user:2", now=start + 15) is None
    assert rate_limits.take(kind, "user:1", now=start + 60) is None
    # The ended window's rows went when the new one started: the table stays small.
    assert RateCount.objects.count() == 1


def test_limits_can_be_switched_off_for_a_deployment_or_for_one_kind(
    cast: Cast, limits: Any
) -> None:
    client = Client()
    sign_in_verified(client, cast.teacher)
    limits.RATE_LIMIT_POST_CHECKS_PER_MINUTE = 0
    for _ in range(3):
        assert client.post("/o/rivington/check/", {"text": "Hello"}).status_code == 200
    limits.RATE_LIMIT_POST_CHECKS_PER_MINUTE = 1
    limits.RATE_LIMITS_ENABLED = False
    for _ in range(3):
        assert client.post("/o/rivington/check/", {"text": "Hello"}).status_code == 200
    assert RateCount.objects.count() == 0


def test_a_refusal_is_logged_on_one_line_without_the_person_named(
    cast: Cast, limits: Any, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    sign_in_verified(client, cast.teacher)
    client.post("/o/rivington/check/", {"text": "Hello"})
    with caplog.at_level(logging.WARNING, logger="boundaries.security"):
        client.post("/o/rivington/check/", {"text": "Hello"})
    lines = [r.getMessage() for r in caplog.records if r.name == "boundaries.security"]
    assert len(lines) == 1
    assert lines[0].startswith(
        "rate limit reached kind=post_check route=screening:check organisation=rivington by=person"
    )
    for named in (cast.teacher.username, cast.teacher.email, str(cast.teacher.pk)):
        assert named not in lines[0].split("by=")[1].split(" retry_after")[0]
    assert "\n" not in lines[0]


@pytest.mark.parametrize(
    ("path", "who"),
    [
        ("/healthz", None),
        ("/o/rivington/to-read/", "teacher"),
        ("/o/rivington/reports/acknowledgements/", "head"),
    ],
)
def test_the_pages_measured_under_load_run_no_rate_limit_statement(
    cast: Cast, limits: Any, path: str, who: str | None
) -> None:
    import_staff(cast)
    client = Client()
    if who is not None:
        sign_in_verified(client, getattr(cast, who))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    assert not [q for q in queries.captured_queries if "ratecount" in q["sql"].lower()]


@pytest.mark.django_db(transaction=True)
def test_servers_hitting_the_limit_at_once_let_exactly_the_limit_through(settings: Any) -> None:
    """Threads stand in for application servers: each has its own database connection."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite's are queued by its lock")
    settings.RATE_LIMIT_UPLOADS_PER_HOUR = 13
    threads, per_thread = 8, 5
    start = threading.Barrier(threads)
    allowed: list[int] = []

    def hammer() -> None:
        try:
            start.wait()
            mine = [rate_limits.take(rate_limits.UPLOAD, "user:7") for _ in range(per_thread)]
            allowed.append(sum(r is None for r in mine))
        finally:
            connection.close()

    workers = [threading.Thread(target=hammer) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sum(allowed) == 13 and len(allowed) == threads
    assert RateCount.objects.get().count == threads * per_thread
