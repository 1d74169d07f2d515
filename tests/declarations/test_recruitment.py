from __future__ import annotations

import datetime as dt

import pytest

from boundaries.core.models import AuditEvent
from boundaries.declarations.models import RecruitmentAttestation, Vacancy
from boundaries.policies.models import StatutoryConflict
from tests.cast import Cast, policy_with_versions
from tests.declarations.school import signed_in


@pytest.fixture
def vacancy(cast: Cast) -> Vacancy:
    policy_with_versions(cast)
    response = signed_in("head").post(
        "/o/rivington/recruitment/new/",
        {"title": "Year 3 teacher", "reference": "RFP-26-04", "shortlist": "C1\nC2\nC3\n"},
    )
    assert response.status_code == 302
    return Vacancy.objects.get()


def decide_conflict() -> None:
    StatutoryConflict.objects.filter(clause__version__status="in_force").update(
        decision="Public web searches for every shortlisted candidate, by the chair only",
        decided_on=dt.date(2026, 1, 20),
    )


def test_the_panel_records_that_no_vetting_took_place(vacancy: Vacancy) -> None:
    response = signed_in("head").post(
        f"/o/rivington/recruitment/{vacancy.pk}/attest/",
        {"kind": "no_vetting", "panel": "Head, chair of governors"},
    )
    assert response.status_code == 302
    attestation = RecruitmentAttestation.objects.get()
    assert attestation.kind == "no_vetting" and attestation.searched == ""
    assert AuditEvent.objects.filter(action="recruitment.attested").exists()
    page = signed_in("governor").get(f"/o/rivington/recruitment/{vacancy.pk}/")
    assert "No social media vetting took place" in page.text


def test_searches_are_refused_without_the_governing_bodys_decision(vacancy: Vacancy) -> None:
    candidates = [str(c.pk) for c in vacancy.candidates.all()]
    response = signed_in("head").post(
        f"/o/rivington/recruitment/{vacancy.pk}/attest/",
        {
            "kind": "governed_search",
            "panel": "Head",
            "searched": "Name and town on a web search engine",
            "public_only": "on",
            "candidates": candidates,
        },
    )
    assert "governing body&#x27;s recorded decision" in response.text
    assert not RecruitmentAttestation.objects.exists()


def test_an_uneven_record_is_refused_naming_the_candidates_left_out(vacancy: Vacancy) -> None:
    decide_conflict()
    first = vacancy.candidates.get(reference="C1")
    response = signed_in("head").post(
        f"/o/rivington/recruitment/{vacancy.pk}/attest/",
        {
            "kind": "governed_search",
            "panel": "Head",
            "searched": "Name and town on a web search engine",
            "public_only": "on",
            "candidates": [str(first.pk)],
        },
    )
    assert "not recorded for C2, C3" in response.text
    assert not RecruitmentAttestation.objects.exists()


def test_searches_for_every_candidate_alike_are_recorded_with_the_decision(
    vacancy: Vacancy,
) -> None:
    decide_conflict()
    response = signed_in("head").post(
        f"/o/rivington/recruitment/{vacancy.pk}/attest/",
        {
            "kind": "governed_search",
            "panel": "Head",
            "searched": "Name and town on a web search engine",
            "public_only": "on",
            "candidates": [str(c.pk) for c in vacancy.candidates.all()],
        },
    )
    assert response.status_code == 302
    attestation = RecruitmentAttestation.objects.get()
    assert attestation.candidates_searched.count() == 3
    assert attestation.conflict is not None and attestation.conflict.is_decided


def test_a_teacher_cannot_see_recruitment_and_a_governor_cannot_attest(vacancy: Vacancy) -> None:
    assert signed_in("teacher").get("/o/rivington/recruitment/").status_code == 404
    assert (
        signed_in("governor").get(f"/o/rivington/recruitment/{vacancy.pk}/attest/").status_code
        == 404
    )
    assert signed_in("otherhead").get(f"/o/rivington/recruitment/{vacancy.pk}/").status_code == 404
