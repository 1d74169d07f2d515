from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client

from boundaries.core.models import AuditEvent
from boundaries.policies import actions
from boundaries.policies.models import Clause, Policy, PolicyLink, PolicyVersion, StatutoryConflict
from tests.cast import PASSWORD, Cast, policy_with_versions

INVENTED_POLICY = """Oakfield School
Staff Online Conduct Policy

Date written: March 2026
Date ratified by governors: 14 April 2026
Next review: April 2027

1. PURPOSE

This policy explains how staff keep professional boundaries online.

2. GUIDANCE

2.1 Staff should not use personal social media during lessons.

2.2 Staff must not share personal phone numbers with pupils.
"""


def sign_in(client: Client, username: str) -> Client:
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_policy_in_force_has_clause_anchors_and_the_footnote(
    cast: Cast, client: Client
) -> None:
    policy, _v1, _ = policy_with_versions(cast)
    page = sign_in(client, "teacher").get(f"/o/rivington/policies/{policy.pk}/")
    assert page.status_code == 200
    assert 'id="clause-4.1-iv"' in page.text
    assert 'href="#clause-4.1-iv"' in page.text
    assert "Relatives must declare the connection." in page.text
    assert "Version 1" in page.text


def test_staff_cannot_see_drafts_but_managers_can(cast: Cast, client: Client) -> None:
    _, _, v2 = policy_with_versions(cast)
    assert sign_in(client, "teacher").get(f"/o/rivington/versions/{v2.pk}/").status_code == 404
    client.logout()
    assert sign_in(client, "head").get(f"/o/rivington/versions/{v2.pk}/").status_code == 200
    client.logout()
    assert sign_in(client, "governor").get(f"/o/rivington/versions/{v2.pk}/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/o/rivington/versions/{v2}/",
        "/o/brookside/versions/{v2}/",
        "/o/rivington/policies/{policy}/history/",
        "/o/rivington/versions/{v2}/ratify/",
        "/o/rivington/versions/{v2}/controls/",
        "/o/rivington/clauses/{clause}/edit/",
        "/o/rivington/policies/import/",
    ],
)
def test_another_schools_headteacher_gets_404(cast: Cast, client: Client, path: str) -> None:
    policy, _, v2 = policy_with_versions(cast)
    clause = v2.clauses.first()
    assert clause is not None
    url = path.format(v2=v2.pk, policy=policy.pk, clause=clause.pk)
    assert sign_in(client, "otherhead").get(url).status_code == 404


def test_the_authority_admin_sees_schools_drafts(cast: Cast, client: Client) -> None:
    _, _, v2 = policy_with_versions(cast)
    assert sign_in(client, "admin").get(f"/o/rivington/versions/{v2.pk}/").status_code == 200


def test_history_and_clause_by_clause_diff(cast: Cast, client: Client) -> None:
    policy, v1, v2 = policy_with_versions(cast)
    sign_in(client, "head")
    history = client.get(f"/o/rivington/policies/{policy.pk}/history/")
    assert "Version 2" in history.text and "Version 1" in history.text
    diff = client.get(f"/o/rivington/policies/{policy.pk}/diff/?from={v1.pk}&to={v2.pk}")
    assert diff.status_code == 200
    assert "1 clause changed" in diff.text
    assert "<ins>" in diff.text and "carers" in diff.text


def test_ratify_then_bring_into_force_through_the_pages(cast: Cast, client: Client) -> None:
    _policy, v1, v2 = policy_with_versions(cast)
    sign_in(client, "governor")
    bad = client.post(
        f"/o/rivington/versions/{v2.pk}/ratify/", {"date_ratified": "31/02/2026", "minute_ref": ""}
    )
    assert bad.status_code == 200
    assert "govuk-error-summary" in bad.text
    assert "Enter the minute reference" in bad.text
    ok = client.post(
        f"/o/rivington/versions/{v2.pk}/ratify/",
        {"date_ratified": "2026-10-01", "minute_ref": "GB/26/10/2"},
    )
    assert ok.status_code == 302
    # A governor ratifies but does not bring into force.
    assert client.post(f"/o/rivington/versions/{v2.pk}/bring-into-force/").status_code == 404
    client.logout()
    sign_in(client, "head")
    assert client.post(f"/o/rivington/versions/{v2.pk}/bring-into-force/").status_code == 302
    v2.refresh_from_db()
    v1.refresh_from_db()
    assert (v1.status, v2.status) == ("superseded", "in_force")
    assert v2.ratification_minute_ref == "GB/26/10/2"
    assert AuditEvent.objects.filter(
        action="policy.version_in_force", object_id=str(v2.pk)
    ).exists()


def test_import_a_document_confirms_before_saving(cast: Cast, client: Client) -> None:
    sign_in(client, "head")
    upload = io.BytesIO(INVENTED_POLICY.encode())
    upload.name = "online-conduct.txt"
    response = client.post("/o/rivington/policies/import/", {"document": upload})
    assert response.status_code == 302
    confirm = client.get(response["Location"])
    assert "2.2" in confirm.text and "April 2027" in confirm.text
    assert not PolicyVersion.objects.filter(source_filename="online-conduct.txt").exists()
    saved = client.post(response["Location"])
    assert saved.status_code == 302
    version = PolicyVersion.objects.get(source_filename="online-conduct.txt")
    assert list(version.clauses.order_by("position").values_list("number", flat=True)) == [
        "1",
        "2",
        "2.1",
        "2.2",
    ]
    assert version.next_review == dt.date(2027, 4, 1)
    assert version.date_ratified == dt.date(2026, 4, 14)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("policy.exe", b"MZ", "must be a .docx, .pdf, .txt or .md file"),
        ("notes.txt", b"Just some words with no numbered clauses at all.\n", "notes.txt"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "broken.docx"),
    ],
)
def test_a_document_it_cannot_structure_is_refused_and_nothing_saved(
    cast: Cast, client: Client, name: str, content: bytes, message: str
) -> None:
    sign_in(client, "head")
    before = (Policy.objects.count(), Clause.objects.count(), AuditEvent.objects.count())
    upload = io.BytesIO(content)
    upload.name = name
    response = client.post("/o/rivington/policies/import/", {"document": upload})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert message in response.text
    assert (Policy.objects.count(), Clause.objects.count(), AuditEvent.objects.count()) == before


def test_editing_a_draft_clause(cast: Cast, client: Client) -> None:
    _, _, v2 = policy_with_versions(cast)
    clause = v2.clauses.get(number="4.1(i)")
    sign_in(client, "head")
    empty = client.post(f"/o/rivington/clauses/{clause.pk}/edit/", {"heading": "", "text": ""})
    assert "Enter the text of the clause" in empty.text
    client.post(
        f"/o/rivington/clauses/{clause.pk}/edit/", {"heading": "", "text": "Not in lessons."}
    )
    clause.refresh_from_db()
    assert clause.text == "Not in lessons."
    event = AuditEvent.objects.get(action="policy.clause_edited")
    assert event.before["text"] == "No personal use in working hours."


def test_governors_record_a_decision_on_a_statutory_conflict(cast: Cast, client: Client) -> None:
    _, v1, _ = policy_with_versions(cast)
    conflict = StatutoryConflict.objects.get(clause__version=v1)
    sign_in(client, "teacher")
    assert client.get(f"/o/rivington/conflicts/{conflict.pk}/decide/").status_code == 404
    client.logout()
    sign_in(client, "governor")
    client.post(
        f"/o/rivington/conflicts/{conflict.pk}/decide/",
        {
            "decision": "Online searches of public results for every shortlisted candidate.",
            "decided_on": "2026-01-20",
            "minute_ref": "GB/26/01/5",
        },
    )
    conflict.refresh_from_db()
    assert conflict.is_decided and conflict.decision_minute_ref == "GB/26/01/5"
    page = client.get(f"/o/rivington/versions/{v1.pk}/")
    assert "Online searches of public results" in page.text


def test_links_to_related_policies(cast: Cast, client: Client) -> None:
    policy, _, _ = policy_with_versions(cast)
    sign_in(client, "head")
    client.post(
        f"/o/rivington/policies/{policy.pk}/links/add/",
        {
            "title": "Acceptable Use Policy",
            "url": "https://rivington.example/aup",
            "clause_number": "6(ii)",
        },
    )
    assert PolicyLink.objects.filter(policy=policy, clause_number="6(ii)").exists()
    page = client.get(f"/o/rivington/policies/{policy.pk}/")
    assert "https://rivington.example/aup" in page.text
    assert 'href="#clause-6-ii"' in page.text


def test_clause_by_clause_controls_and_mapping(cast: Cast, client: Client) -> None:
    _, _, v2 = policy_with_versions(cast)
    sign_in(client, "head")
    trace = client.get(f"/o/rivington/versions/{v2.pk}/controls/")
    assert "Recruitment panel attestation" in trace.text
    mapping = client.get(f"/o/rivington/versions/{v2.pk}/controls/map/")
    assert "Suggested" in mapping.text
    clause = v2.clauses.get(number="4.1(i)")
    client.post(
        f"/o/rivington/versions/{v2.pk}/controls/map/",
        {f"clause-{clause.pk}": ["working_hours_report"]},
    )
    assert list(clause.controls.values_list("control", flat=True)) == ["working_hours_report"]


def test_adoption_overview_for_the_authority(cast: Cast, client: Client) -> None:
    policy_with_versions(cast)
    sign_in(client, "admin")
    page = client.get("/o/testshire/adoption/")
    assert page.status_code == 200
    assert "Rivington Foundation Primary School" in page.text
    assert "None in force" in page.text  # Brookside
    client.logout()
    assert sign_in(client, "head").get("/o/testshire/adoption/").status_code == 404


def test_start_a_new_version_for_the_annual_review(cast: Cast, client: Client) -> None:
    policy, _v1, v2 = policy_with_versions(cast)
    sign_in(client, "head")
    # A draft is already in preparation, so a second is refused with a message.
    refused = client.post(f"/o/rivington/policies/{policy.pk}/new-version/", follow=True)
    assert "already in preparation" in refused.text
    actions.ratify(v2, date_ratified=dt.date(2026, 9, 1), minute_ref="M", actor=cast.governor)
    actions.bring_into_force(v2, actor=cast.head, today=dt.date(2026, 9, 2))
    conflict = StatutoryConflict.objects.get(clause__version=v2)
    actions.decide_conflict(
        conflict,
        decision="Search public results for all.",
        decided_on=dt.date(2026, 9, 1),
        minute_ref="M2",
        actor=cast.governor,
    )
    response = client.post(f"/o/rivington/policies/{policy.pk}/new-version/")
    assert response.status_code == 302
    v3 = PolicyVersion.objects.get(policy=policy, number=3)
    assert v3.status == "draft"
    assert v3.content_hash == v2.content_hash
    carried = StatutoryConflict.objects.get(clause__version=v3)
    assert carried.decision == "Search public results for all."
    assert client.get(f"/o/rivington/policies/{policy.pk}/new-version/").status_code == 404


def test_a_governor_flags_another_clause_as_in_tension(cast: Cast, client: Client) -> None:
    _, v1, _ = policy_with_versions(cast)
    clause = v1.clauses.get(number="4.1(i)")
    sign_in(client, "governor")
    empty = client.post(
        f"/o/rivington/clauses/{clause.pk}/flag-conflict/", {"guidance": "", "reason": ""}
    )
    assert "Enter the statutory guidance" in empty.text
    client.post(
        f"/o/rivington/clauses/{clause.pk}/flag-conflict/",
        {"guidance": "Working Together to Safeguard Children", "reason": "An invented tension."},
    )
    assert clause.conflicts.get().guidance == "Working Together to Safeguard Children"
    assert AuditEvent.objects.filter(action="policy.conflict_flagged").exists()
    client.logout()
    assert (
        sign_in(client, "teacher")
        .get(f"/o/rivington/clauses/{clause.pk}/flag-conflict/")
        .status_code
        == 404
    )


def test_a_word_document_uploaded_through_the_page(cast: Cast, client: Client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import docx

    document = docx.Document()
    document.add_paragraph("Oakfield School Staff Online Conduct Policy")
    document.add_paragraph("Date ratified by governors: 14 April 2026")
    document.add_paragraph("1. PURPOSE")
    document.add_paragraph("This policy explains how staff keep professional boundaries online.")
    document.add_paragraph("2. GUIDANCE")
    document.add_paragraph("2.1 Staff should not use personal social media during lessons.")
    path = tmp_path / "conduct.docx"
    document.save(str(path))
    sign_in(client, "head")
    with path.open("rb") as upload:
        response = client.post("/o/rivington/policies/import/", {"document": upload})
    assert response.status_code == 302, response.text[:2000]
    client.post(response["Location"])
    version = PolicyVersion.objects.get(source_filename="conduct.docx")
    assert list(version.clauses.order_by("position").values_list("number", flat=True)) == [
        "1",
        "2",
        "2.1",
    ]
