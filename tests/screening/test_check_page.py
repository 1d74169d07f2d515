"""'Can I post this?' through HTTP: verdicts, clauses, words, and nothing kept."""

from __future__ import annotations

import logging

import pytest
from django.db import connection
from django.test import Client

from boundaries.core.models import AuditEvent
from tests.cast import Cast, policy_with_versions
from tests.screening.conftest import sign_in

# Wednesday 4 March 2026: 10:15 is in lessons, 19:30 is after work.
IN_LESSONS = "2026-03-04T10:15"
EVENING = "2026-03-04T19:30"


@pytest.mark.parametrize(
    ("text", "audience", "at", "verdict", "clauses"),
    [
        ("Lovely walk up Rivington Pike this weekend", "public", EVENING, "ok", set()),
        ("This cold is killing me, early night", "friends", EVENING, "ok", set()),
        ("Lovely walk up Rivington Pike this weekend", "public", IN_LESSONS, "caution", {"4.1(i)"}),
        ("Ring me on 07700 900123 about the trip", "parent", EVENING, "stop", {"4.1(iv)", "5"}),
        ("jayden okafor's EHCP review went badly today", "staff_group", EVENING, "stop", {"5"}),
        (
            "Hi Kieran, add me on snapchat",
            "former_pupil" and "friends",
            EVENING,
            "stop",
            {"4.1(v)"},
        ),
        ("Priya Natarajan is a thief and a liar", "public", EVENING, "stop", {"4.1(vi)"}),
    ],
)
def test_a_teacher_gets_a_verdict_with_the_clauses_it_rests_on(
    school_cast: Cast, client: Client, text, audience, at, verdict, clauses
) -> None:
    page = sign_in(client, "teacher").post(
        "/o/rivington/check/", {"text": text, "audience": audience, "posted_at": at}
    )
    assert page.status_code == 200
    assert f'data-verdict="{verdict}"' in page.text
    for clause in clauses:
        assert f"Clause {clause}" in page.text


def test_each_finding_shows_the_words_the_message_and_a_safer_alternative(
    school_cast: Cast, client: Client
) -> None:
    page = sign_in(client, "teacher").post(
        "/o/rivington/check/",
        {"text": "Call me on 07700 900123 <b>now</b>", "audience": "parent", "posted_at": EVENING},
    )
    assert "<mark>07700 900123</mark>" in page.text
    assert "&lt;b&gt;now&lt;/b&gt;" in page.text  # the draft is escaped, never markup
    assert "Instead" in page.text and "school" in page.text


def test_findings_link_to_the_clause_in_the_policy_in_force(
    school_cast: Cast, client: Client
) -> None:
    _, v1, _ = policy_with_versions(school_cast)
    page = sign_in(client, "teacher").post(
        "/o/rivington/check/",
        {"text": "Message me on whatsapp 07700 900123", "audience": "pupil", "posted_at": EVENING},
    )
    assert f'href="/o/rivington/versions/{v1.pk}/#clause-4.1-iv"' in page.text
    # clause 5 is not in the small test policy, so it is named without a link
    assert "Clause 5\n" in page.text or "Clause 5 " in page.text
    assert "#clause-5" not in page.text


def test_an_empty_draft_is_refused_with_an_error_summary(school_cast: Cast, client: Client) -> None:
    page = sign_in(client, "teacher").post(
        "/o/rivington/check/", {"text": "  ", "audience": "public"}
    )
    assert "There is a problem" in page.text
    assert "Enter the post or message you want to check" in page.text
    assert page.text.startswith("<!DOCTYPE") and "<title>Error:" in page.text


def test_no_time_means_now_and_the_page_is_not_cached(school_cast: Cast, client: Client) -> None:
    page = sign_in(client, "teacher").post(
        "/o/rivington/check/", {"text": "Nice day", "audience": "public"}
    )
    assert "Checked as if posted" not in page.text or page.status_code == 200
    assert "no-store" in page["Cache-Control"]


@pytest.mark.parametrize(
    ("username", "status"),
    [("teacher", 200), ("governor", 200), ("otherhead", 404), ("admin", 404)],
)
def test_staff_of_the_school_can_check_and_others_see_nothing(
    school_cast: Cast, client: Client, username: str, status: int
) -> None:
    assert sign_in(client, username).get("/o/rivington/check/").status_code == status


def test_signed_out_people_are_sent_to_sign_in(school_cast: Cast, client: Client) -> None:
    page = client.get("/o/rivington/check/")
    assert page.status_code == 302 and "sign-in" in page["Location"]


MARKER = "Zebedee-Quorn-7731 is a useless idiot"


def _rows_containing(marker: str) -> list[str]:
    """Every table in the database, read raw, so no model or column can hide a copy."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            if any(marker.lower() in str(row).lower() for row in cursor.fetchall()):
                found.append(table)
    return found


def test_nothing_typed_is_stored_audited_or_logged(
    school_cast: Cast, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    signed = sign_in(client, "teacher")
    events = AuditEvent.objects.count()
    with caplog.at_level(logging.DEBUG):
        page = signed.post(
            "/o/rivington/check/", {"text": MARKER, "audience": "public", "posted_at": EVENING}
        )
        api = signed.post(
            "/api/v1/screen",
            {"text": MARKER, "audience": "public", "organisation": "rivington"},
            content_type="application/json",
        )
    assert page.status_code == 200 and api.status_code == 200
    assert _rows_containing("Zebedee-Quorn") == []
    assert "Zebedee" not in caplog.text
    new = AuditEvent.objects.filter(seq__gt=events)
    assert all("Zebedee" not in str(e.after) for e in new)
    assert not client.session.get("_messages")


@pytest.mark.parametrize(("audience", "linked"), [("pupil", True), ("parent", False)])
def test_a_message_to_a_pupil_points_to_reporting_the_contact_without_the_draft(
    school_cast: Cast, client: Client, audience: str, linked: bool
) -> None:
    page = sign_in(client, "teacher").post(
        "/o/rivington/check/", {"text": "ok see you", "audience": audience, "posted_at": EVENING}
    )
    assert ('href="/o/rivington/pupil-contacts/report/"' in page.text) is linked
    assert "pupil-contacts/report/?" not in page.text
