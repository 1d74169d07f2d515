"""The headteacher's settings, induction items and questions, through the pages."""

from __future__ import annotations

from boundaries.acknowledgements.models import AcknowledgementSettings, InductionItem, Question
from boundaries.core.models import AuditEvent
from tests.acknowledgements.helpers import import_staff, policy_in_force, signed_in
from tests.cast import Cast


def test_the_headteacher_sets_scope_due_days_items_and_questions(cast: Cast) -> None:
    import_staff(cast)
    policy, _ = policy_in_force(cast)
    client = signed_in("head")
    url = "/o/rivington/acknowledgements/settings/"
    assert "Reading policies: settings" in client.get(url).content.decode()
    client.post(
        url,
        {
            "form": "settings",
            "scope": "works_with_children",
            "due_days": "10",
            "reminder_every_days": "3",
            "pass_mark": "75",
        },
    )
    saved = AcknowledgementSettings.objects.get(organisation=cast.school)
    assert (saved.scope, saved.due_days, saved.pass_mark) == ("works_with_children", 10, 75)
    client.post(url, {"form": "item", "title": "Meet the DSL"})
    item = InductionItem.objects.get(title="Meet the DSL")
    client.post(url, {"form": "retire", "item": item.pk})
    item.refresh_from_db()
    assert not item.active
    q_url = f"/o/rivington/acknowledgements/policies/{policy.pk}/questions/"
    bad = client.post(q_url, {"text": "Q?", "choices": "Only one", "correct": "1"})
    assert "Enter at least two answers" in bad.content.decode()
    client.post(q_url, {"text": "Q?", "choices": "Yes\nNo", "correct": "2"})
    assert Question.objects.get().correct == 1
    assert AuditEvent.objects.filter(action="acknowledgements.settings_saved").exists()


def test_staff_and_governors_cannot_change_the_settings(cast: Cast) -> None:
    for user in ("teacher", "governor", "otherhead"):
        assert signed_in(user).get("/o/rivington/acknowledgements/settings/").status_code == 404
