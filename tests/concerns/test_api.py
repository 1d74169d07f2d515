from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from boundaries.concerns.models import Concern, PupilContactReport
from boundaries.core.models import AuditEvent
from boundaries.declarations.models import ConnectionDeclaration
from tests.cast import Cast, policy_with_versions
from tests.declarations.school import School, make_school, signed_in


@pytest.fixture
def school(cast: Cast) -> School:
    policy_with_versions(cast)
    return make_school(cast)


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def test_a_teacher_reports_a_contact_and_the_dsl_records_steps_through_the_api(
    school: School, django_capture_on_commit_callbacks: Any
) -> None:
    teacher = signed_in("teacher")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            teacher,
            "/api/v1/organisations/rivington/pupil-contacts",
            {
                "platform": "WhatsApp",
                "contacted_at": "2026-11-20T19:30:00Z",
                "what_was_said": "Can you help with homework",
                "did_not_respond": True,
                "pupil": school.pupil.pk,
            },
        )
    assert response.status_code == 201, response.json()
    report_id = response.json()["id"]
    dsl = signed_in("dsl")
    base = f"/api/v1/organisations/rivington/pupil-contacts/{report_id}"
    for kind in ("told_not_acceptable", "blocked", "parents_not_informed"):
        assert post(dsl, base + "/steps", {"kind": kind}).status_code == 200
    assert post(dsl, base + "/transition", {"to": "closed"}).json()["status"] == "closed"
    assert PupilContactReport.objects.get().status == "closed"
    assert post(teacher, base + "/steps", {"kind": "blocked"}).status_code == 404


def test_not_responding_must_be_confirmed(school: School) -> None:
    response = post(
        signed_in("teacher"),
        "/api/v1/organisations/rivington/pupil-contacts",
        {
            "platform": "WhatsApp",
            "contacted_at": "2026-11-20T19:30:00Z",
            "what_was_said": "Hi",
            "did_not_respond": False,
        },
    )
    assert response.status_code == 400
    assert "Confirm that you did not respond" in response.json()["detail"]


def test_a_concern_raised_through_the_api_returns_only_its_status_and_reads_are_audited(
    school: School,
) -> None:
    response = post(
        signed_in("teacher"),
        "/api/v1/organisations/rivington/concerns",
        {
            "subject": school.manager_record.pk,
            "summary": "Posted about a pupil",
            "detail": "On a public account",
            "clauses": ["4.1(iv)"],
        },
    )
    assert response.status_code == 201
    assert set(response.json()) == {"id", "status"}
    concern_id = response.json()["id"]
    url = f"/api/v1/organisations/rivington/concerns/{concern_id}"
    assert signed_in("teacher").get(url).status_code == 404
    assert signed_in("governor").get(url).status_code == 404
    body = signed_in("hr").get(url).json()
    assert body["clauses"] == ["4.1(iv)"]
    assert AuditEvent.objects.filter(action="concerns.viewed").count() == 1
    moved = post(signed_in("dsl"), url + "/transition", {"to": "allegation"})
    assert moved.json()["lado_due"] is not None
    refused = post(signed_in("dsl"), url + "/transition", {"to": "closed", "outcome": "no_case"})
    assert refused.status_code == 409
    assert Concern.objects.get().status == "allegation"
    counts = signed_in("governor").get("/api/v1/organisations/rivington/concerns/counts").json()
    assert counts["total"] == "fewer than 5"


def test_declarations_through_the_api(school: School) -> None:
    teacher = signed_in("teacher")
    response = post(
        teacher,
        "/api/v1/organisations/rivington/declarations",
        {
            "counterpart_kind": "former_pupil",
            "relationship": "relative",
            "platforms": ["Facebook"],
            "pupil": school.former_young.pk,
            "since": "2020-01-01",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["under_18"] is True and "formal action" in body["advice"]
    base = f"/api/v1/organisations/rivington/declarations/{body['id']}"
    assert post(teacher, base + "/acknowledge", {}).json()["status"] == "awaiting_review"
    manager = signed_in("manager")
    reviewed = post(manager, base + "/review", {"outcome": "escalate"})
    assert reviewed.json()["outcome"] == "escalate"
    assert signed_in("otherhead").get(base).status_code == 404
    assert ConnectionDeclaration.objects.get().reviewed_by == school.manager
    listed = manager.get("/api/v1/organisations/rivington/declarations?review=true").json()
    assert [d["id"] for d in listed] == [body["id"]]
    assert dt.date.fromisoformat(listed[0]["reconfirmation_due"]).year > 2025
