"""Assignment when a version comes into force, reading, the check, and the record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from boundaries.acknowledgements import actions
from boundaries.acknowledgements.models import (
    Acknowledgement,
    Assignment,
    Induction,
    InductionItem,
)
from boundaries.core.models import AuditEvent
from tests.acknowledgements.helpers import (
    TODAY,
    import_staff,
    next_version,
    policy_in_force,
    signed_in,
    staff,
)
from tests.cast import Cast


def test_a_version_in_force_is_assigned_to_every_current_member_of_staff(cast: Cast) -> None:
    import_staff(cast)
    _, v1 = policy_in_force(cast)
    assigned = Assignment.objects.filter(version=v1)
    assert sorted(a.staff.mis_id for a in assigned) == ["S1", "S2", "S3", "S4"]
    assert {a.due_on for a in assigned} == {TODAY + dt.timedelta(days=14)}
    event = AuditEvent.objects.get(action="acknowledgements.version_assigned")
    assert event.after["staff"] == 4


def test_a_school_can_narrow_the_scope_to_staff_who_work_with_children(cast: Cast) -> None:
    import_staff(cast)
    actions.save_settings(
        cast.school,
        scope="works_with_children",
        due_days=7,
        reminder_every_days=3,
        pass_mark=80,
        actor=cast.head,
    )
    _, v1 = policy_in_force(cast)
    assigned = Assignment.objects.filter(version=v1)
    assert sorted(a.staff.mis_id for a in assigned) == ["S1", "S2", "S3"]
    assert {a.due_on for a in assigned} == {TODAY + dt.timedelta(days=7)}


def test_a_teacher_reads_and_confirms_and_the_record_keeps_the_hash(cast: Cast) -> None:
    import_staff(cast)
    _, v1 = policy_in_force(cast)
    client = signed_in("teacher")
    page = client.get("/o/rivington/to-read/")
    assert "Staff social media" in page.content.decode()
    assignment = Assignment.objects.get(staff=staff("S2"), version=v1)
    read = client.get(f"/o/rivington/to-read/{assignment.pk}/")
    assert "Do not befriend pupils or parents online." in read.content.decode()
    refused = client.post(f"/o/rivington/to-read/{assignment.pk}/confirm/", {})
    assert "Confirm that you have read the policy" in refused.content.decode()
    done = client.post(f"/o/rivington/to-read/{assignment.pk}/confirm/", {"confirm": "on"})
    assert done.status_code == 302
    record = Acknowledgement.objects.get(staff=staff("S2"), version=v1)
    assert record.content_hash == v1.content_hash and record.method == "web"
    assert record.user == cast.teacher
    assert AuditEvent.objects.get(action="acknowledgements.acknowledged").after["content_hash"] == (
        v1.content_hash
    )
    assert "You have nothing to read" in client.get("/o/rivington/to-read/").content.decode()
    assert v1.content_hash[:12] in client.get("/o/rivington/my-record/").content.decode()


def test_an_acknowledgement_can_never_be_changed(cast: Cast) -> None:
    import_staff(cast)
    _, v1 = policy_in_force(cast)
    record = actions.acknowledge(
        Assignment.objects.get(staff=staff("S2"), version=v1), user=cast.teacher
    )
    record.score = 100
    with pytest.raises(PermissionError):
        record.save()
    with (
        pytest.raises(Exception, match="cannot be changed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE acknowledgements_acknowledgement SET method = 'api' WHERE id = %s",
            [record.pk],
        )
    with pytest.raises(actions.AcknowledgementError):
        actions.acknowledge(
            Assignment.objects.get(staff=staff("S2"), version=v1), user=cast.teacher
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Acknowledgement.objects.create(
            staff=staff("S2"),
            version=v1,
            content_hash="x",
            acknowledged_at=record.acknowledged_at,
            method="web",
        )


def test_nobody_can_open_someone_elses_assignment(cast: Cast) -> None:
    import_staff(cast)
    _, v1 = policy_in_force(cast)
    theirs = Assignment.objects.get(staff=staff("S1"), version=v1)
    client = signed_in("teacher")
    assert client.get(f"/o/rivington/to-read/{theirs.pk}/").status_code == 404
    assert (
        client.post(f"/o/rivington/to-read/{theirs.pk}/confirm/", {"confirm": "on"}).status_code
        == 404
    )
    assert signed_in("otherhead").get("/o/rivington/to-read/").status_code == 404


def test_the_comprehension_check_must_reach_the_pass_mark(cast: Cast) -> None:
    import_staff(cast)
    policy, v1 = policy_in_force(cast)
    question = actions.add_question(
        policy,
        text="May you accept a parent's friend request?",
        choices=["Yes", "No, and tell my manager"],
        correct=1,
        actor=cast.head,
    )
    assignment = Assignment.objects.get(staff=staff("S2"), version=v1)
    client = signed_in("teacher")
    url = f"/o/rivington/to-read/{assignment.pk}/confirm/"
    wrong = client.post(url, {"confirm": "on", f"q{question.pk}": "0"})
    assert "You scored 0% and the pass mark is 80%" in wrong.content.decode()
    assert not Acknowledgement.objects.exists()
    right = client.post(url, {"confirm": "on", f"q{question.pk}": "1"})
    assert right.status_code == 302
    assert Acknowledgement.objects.get().score == 100


def test_a_material_change_asks_everyone_again_and_shows_what_changed(cast: Cast) -> None:
    import_staff(cast)
    policy, v1 = policy_in_force(cast)
    actions.acknowledge(Assignment.objects.get(staff=staff("S2"), version=v1), user=cast.teacher)
    v2 = next_version(cast, policy, material=True)
    assert Assignment.objects.filter(version=v2, completed_at__isnull=True).count() == 4
    assignment = Assignment.objects.get(staff=staff("S2"), version=v2)
    page = signed_in("teacher").get(f"/o/rivington/to-read/{assignment.pk}/").content.decode()
    assert "What changed since version 1" in page
    assert "<ins>" in page and "carers" in page


def test_a_minor_change_asks_nobody_and_earlier_reading_still_counts(cast: Cast) -> None:
    import_staff(cast)
    policy, v1 = policy_in_force(cast)
    actions.acknowledge(Assignment.objects.get(staff=staff("S2"), version=v1), user=cast.teacher)
    v2 = next_version(cast, policy, material=False)
    moved = Assignment.objects.get(staff=staff("S2"))
    assert moved.version == v2 and moved.is_done
    assert moved.acknowledgement is not None and moved.acknowledgement.version == v1
    assert Assignment.objects.filter(version=v2, completed_at__isnull=True).count() == 3


def test_the_bring_into_force_page_records_a_minor_change(cast: Cast) -> None:
    import_staff(cast)
    policy, _ = policy_in_force(cast)
    from boundaries.policies import actions as policy_actions

    v2 = policy_actions.create_version(policy, [*v1_tree()], actor=cast.head)
    v2 = policy_actions.ratify(v2, date_ratified=TODAY, minute_ref="GB/3", actor=cast.governor)
    client = signed_in("head")
    page = client.get(f"/o/rivington/versions/{v2.pk}/bring-into-force/")
    assert "Must staff read it again?" in page.content.decode()
    client.post(f"/o/rivington/versions/{v2.pk}/bring-into-force/", {"material_change": "no"})
    v2.refresh_from_db()
    assert v2.status == "in_force" and not v2.material_change
    assert not Assignment.objects.filter(
        version=v2, completed_at__isnull=True, material_change=True
    )


def v1_tree():  # type: ignore[no-untyped-def]
    from tests.cast import small_tree

    return small_tree("Minor wording change.")


def test_a_new_starter_is_inducted_only_when_every_item_is_done(cast: Cast) -> None:
    import_staff(cast)
    _, v1 = policy_in_force(cast)
    item = actions.add_induction_item(cast.school, "Meet the DSL", actor=cast.head)
    from tests.acknowledgements.helpers import STAFF_CSV

    starter = (
        STAFF_CSV
        + "S5,Nia New,governor@rivington.example,Teaching assistant,KS1,2026-01-05,yes,S1\n"
    )
    import_staff(cast, starter)
    induction = Induction.objects.get(staff=staff("S5"))
    assignment = Assignment.objects.get(staff=staff("S5"), version=v1)
    assert assignment.reason == "induction"
    actions.acknowledge(assignment, user=cast.governor)
    induction.refresh_from_db()
    assert induction.completed_on is None
    page = signed_in("head").get("/o/rivington/acknowledgements/inductions/")
    assert "Nia New" in page.content.decode()
    signed_in("head").post(
        "/o/rivington/acknowledgements/inductions/", {"induction": induction.pk, "item": item.pk}
    )
    induction.refresh_from_db()
    assert induction.completed_on is not None
    assert InductionItem.objects.count() == 1
