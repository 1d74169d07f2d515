from __future__ import annotations

import io

import pytest
from django.test import Client

from boundaries.api.tokens import issue_token, revoke_token
from tests.cast import PASSWORD, Cast, policy_with_versions
from tests.policies.test_pages import INVENTED_POLICY


def signed_in(client: Client, username: str) -> Client:
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_openapi_schema_is_published(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["version"] == "1"
    assert "/api/v1/organisations/{org}/versions/{vid}" in schema["paths"]


def test_anonymous_requests_are_refused(cast: Cast, client: Client) -> None:
    assert client.get("/api/v1/organisations").status_code == 401


def test_a_version_with_its_clause_tree(cast: Cast, client: Client) -> None:
    _, v1, _ = policy_with_versions(cast)
    body = (
        signed_in(client, "teacher").get(f"/api/v1/organisations/rivington/versions/{v1.pk}").json()
    )
    four = next(c for c in body["clauses"] if c["number"] == "4")
    iv = four["children"][0]["children"][1]
    assert iv["anchor"] == "clause-4.1-iv"
    assert iv["notes"] == [{"kind": "footnote", "text": "Relatives must declare the connection."}]
    assert body["review_due"] == "2026-11-20"


def test_drafts_are_404_for_another_schools_head(cast: Cast, client: Client) -> None:
    policy, _, v2 = policy_with_versions(cast)
    signed_in(client, "otherhead")
    assert client.get(f"/api/v1/organisations/rivington/versions/{v2.pk}").status_code == 404
    assert client.get(f"/api/v1/organisations/rivington/policies/{policy.pk}").status_code == 404
    assert client.get(f"/api/v1/organisations/brookside/versions/{v2.pk}").status_code == 404


def test_staff_see_in_force_versions_only(cast: Cast, client: Client) -> None:
    policy, v1, v2 = policy_with_versions(cast)
    body = (
        signed_in(client, "teacher")
        .get(f"/api/v1/organisations/rivington/policies/{policy.pk}")
        .json()
    )
    assert [v["id"] for v in body["versions"]] == [v1.pk]
    assert client.get(f"/api/v1/organisations/rivington/versions/{v2.pk}").status_code == 404


def test_import_dry_run_then_save(cast: Cast, client: Client) -> None:
    signed_in(client, "head")

    def upload() -> io.BytesIO:
        f = io.BytesIO(INVENTED_POLICY.encode())
        f.name = "conduct.md"
        return f

    dry = client.post("/api/v1/organisations/rivington/policies/import", {"document": upload()})
    assert dry.status_code == 200
    assert dry.json()["saved"] is False
    assert [c["number"] for c in dry.json()["clauses"]] == ["1", "2"]
    saved = client.post(
        "/api/v1/organisations/rivington/policies/import?save=true", {"document": upload()}
    )
    assert saved.status_code == 201
    assert saved.json()["version"] is not None


def test_import_of_a_bad_document_says_why(cast: Cast, client: Client) -> None:
    f = io.BytesIO(b"\x00\x01\x02")
    f.name = "x.pdf"
    response = signed_in(client, "head").post(
        "/api/v1/organisations/rivington/policies/import", {"document": f}
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("x.pdf")


def test_ratify_and_bring_into_force(cast: Cast, client: Client) -> None:
    _, _, v2 = policy_with_versions(cast)
    signed_in(client, "head")
    ratified = client.post(
        f"/api/v1/organisations/rivington/versions/{v2.pk}/ratify",
        {"date_ratified": "2026-10-01", "minute_ref": "GB/1"},
        content_type="application/json",
    )
    assert ratified.status_code == 200 and ratified.json()["status"] == "ratified"
    again = client.post(
        f"/api/v1/organisations/rivington/versions/{v2.pk}/ratify",
        {"date_ratified": "2026-10-01", "minute_ref": "GB/1"},
        content_type="application/json",
    )
    assert again.status_code == 409
    live = client.post(f"/api/v1/organisations/rivington/versions/{v2.pk}/bring-into-force")
    assert live.json()["status"] == "in_force"


def test_a_token_reads_its_own_organisation_only_until_revoked(cast: Cast, client: Client) -> None:
    _policy, v1, v2 = policy_with_versions(cast)
    token, secret = issue_token(cast.school, name="intranet", scopes=["read"], actor=cast.head)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert (
        client.get(f"/api/v1/organisations/rivington/versions/{v1.pk}", **auth).status_code == 200
    )
    assert (
        client.get(f"/api/v1/organisations/rivington/versions/{v2.pk}", **auth).status_code == 404
    )
    assert client.get("/api/v1/organisations/brookside/policies", **auth).status_code == 404
    assert (
        client.post(
            f"/api/v1/organisations/rivington/versions/{v2.pk}/bring-into-force", **auth
        ).status_code
        == 404
    )
    revoke_token(token, actor=cast.head)
    assert (
        client.get(f"/api/v1/organisations/rivington/versions/{v1.pk}", **auth).status_code == 401
    )


def test_a_token_lists_the_organisation_that_issued_it(cast: Cast, client: Client) -> None:
    _token, secret = issue_token(cast.school, name="intranet", scopes=["read"], actor=cast.head)
    listed = client.get("/api/v1/organisations", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert listed.status_code == 200
    assert [o["slug"] for o in listed.json()] == ["rivington"]


def test_a_token_lists_only_what_it_may_open(cast: Cast, client: Client) -> None:
    """An authority's token reads as staff of the authority: its schools are not its to open,
    so they are not listed either."""
    _token, secret = issue_token(cast.authority, name="hub", scopes=["read"], actor=cast.admin)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    listed = client.get("/api/v1/organisations", **auth)
    assert [o["slug"] for o in listed.json()] == [cast.authority.slug]
    assert client.get("/api/v1/organisations/rivington/policies", **auth).status_code == 404
    assert (
        client.get(f"/api/v1/organisations/{cast.authority.slug}/policies", **auth).status_code
        == 200
    )


@pytest.mark.parametrize("secret", ["", "bnd_nope_x", "not-a-token"])
def test_bad_tokens_are_refused(cast: Cast, client: Client, secret: str) -> None:
    response = client.get("/api/v1/organisations", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401


def test_session_writes_need_the_csrf_token(cast: Cast) -> None:
    _, _, v2 = policy_with_versions(cast)
    strict = Client(enforce_csrf_checks=True)
    signed_in(strict, "head")
    response = strict.post(f"/api/v1/organisations/rivington/versions/{v2.pk}/bring-into-force")
    assert response.status_code == 403
