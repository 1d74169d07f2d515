"""Staff, pupil and carer imports through the page, the API and the CLI."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from typer.testing import CliRunner

from boundaries.cli import app
from boundaries.core.models import AuditEvent, StaffRecord
from boundaries.roster.csvfile import sha256
from boundaries.roster.models import Carer, Pupil
from tests.cast import PASSWORD, Cast

SIMS_STAFF = (
    "Person ID,Legal Forename,Legal Surname,Work Email Address,Post,Department,"
    "Employment Start Date,Employment End Date,Line Manager\n"
    "S001,Helen,Ashworth,head@rivington.example,Headteacher,Leadership,01/09/2015,,\n"
    "S002,Tom,Fairclough,teacher@rivington.example,Year 4 teacher,KS2,01/09/2020,,S001\n"
    "S003,Amira,Begum,amira@rivington.example,Teaching assistant,KS1,2024-09-02,,S001\n"
)


def signed_in(user_name: str) -> Client:
    client = Client()
    assert client.login(username=user_name, password=PASSWORD)
    return client


def upload(client: Client, text: str, kind: str = "staff", preset: str = "sims", **extra: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/o/rivington/imports/",
        {
            "kind": kind,
            "preset": preset,
            "document": SimpleUploadedFile("export.csv", text.encode()),
            **extra,
        },
    )


def test_a_headteacher_sees_the_dry_run_then_confirms(cast: Cast) -> None:
    client = signed_in("head")
    page = upload(client, SIMS_STAFF)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Check what the import will change" in body
    assert "Amira Begum" in body
    assert StaffRecord.objects.count() == 0
    done = client.post("/o/rivington/imports/confirm/", follow=True)
    assert "3 to add" in done.content.decode()
    tom = StaffRecord.objects.get(mis_id="S002")
    assert tom.line_manager == StaffRecord.objects.get(mis_id="S001")
    assert tom.user == cast.teacher
    assert tom.start_date == dt.date(2020, 9, 1)
    event = AuditEvent.objects.get(action="roster.staff_imported")
    assert event.after["added"] == 3
    assert event.after["sha256"] == sha256(SIMS_STAFF.encode())


def test_importing_the_same_file_twice_changes_nothing_the_second_time(cast: Cast) -> None:
    client = signed_in("head")
    upload(client, SIMS_STAFF)
    client.post("/o/rivington/imports/confirm/")
    before = list(StaffRecord.objects.order_by("pk").values())
    page = upload(client, SIMS_STAFF)
    assert "there is nothing to change" in page.content.decode()
    assert client.post("/o/rivington/imports/confirm/").status_code == 302
    assert list(StaffRecord.objects.order_by("pk").values()) == before
    assert AuditEvent.objects.filter(action="roster.staff_imported").count() == 1


BAD_ROWS = [
    ("S009,,,x@rivington.example,,,,,", "the name is missing"),
    ("S009,Al,Bo,not-an-email,,,,,", "is not an email address"),
    ("S009,Al,Bo,al@rivington.example,,,31/02/2024,,", "start date"),
    ("S001,Al,Bo,al@rivington.example,,,,,", "MIS id 'S001' is also on line 2"),
    ("S009,Al,Bo,al@rivington.example,,,,,S404", "line manager 's404' is not in the file"),
    ("S009,Al,Bo,al@rivington.example,,,2024-09-01,2023-07-31,", "leaving date is before"),
    (",Al,Bo,,,,,,", "neither an MIS id nor a work email"),
]


@pytest.mark.parametrize(("row", "reason"), BAD_ROWS)
def test_a_bad_row_is_named_and_nothing_is_saved(cast: Cast, row: str, reason: str) -> None:
    text = SIMS_STAFF + row + "\n"
    page = upload(signed_in("head"), text)
    body = page.content.decode()
    assert "Line 5:" in body
    assert reason in body.replace("&#x27;", "'")
    assert StaffRecord.objects.count() == 0
    assert not AuditEvent.objects.filter(action="roster.staff_imported").exists()


def test_staff_missing_from_a_full_export_become_leavers_and_are_kept(cast: Cast) -> None:
    client = signed_in("head")
    upload(client, SIMS_STAFF)
    client.post("/o/rivington/imports/confirm/")
    without_amira = "\n".join(SIMS_STAFF.splitlines()[:3]) + "\n"
    page = upload(client, without_amira)
    assert "To mark as leavers" in page.content.decode()
    client.post("/o/rivington/imports/confirm/")
    amira = StaffRecord.objects.get(mis_id="S003")
    assert amira.leaving_date is not None
    assert StaffRecord.objects.count() == 3
    upload(client, without_amira, partial="on")
    assert "there is nothing to change" in upload(client, without_amira).content.decode()


def test_a_row_without_mis_id_is_matched_on_email(cast: Cast) -> None:
    client = signed_in("head")
    upload(client, SIMS_STAFF)
    client.post("/o/rivington/imports/confirm/")
    text = "Full name,Email,Role\nTom Fairclough,TEACHER@rivington.example,Deputy head\n"
    page = upload(client, text, preset="generic", partial="on")
    assert "Tom Fairclough: job_title" in page.content.decode()
    client.post("/o/rivington/imports/confirm/")
    assert StaffRecord.objects.get(mis_id="S002").job_title == "Deputy head"


def test_a_teacher_and_another_school_cannot_import(cast: Cast) -> None:
    assert signed_in("teacher").get("/o/rivington/imports/").status_code == 404
    assert signed_in("otherhead").get("/o/rivington/imports/").status_code == 404
    assert upload(signed_in("otherhead"), SIMS_STAFF).status_code == 404


def test_pupils_then_carers_with_linked_pupils(cast: Cast) -> None:
    client = signed_in("head")
    pupils = (
        "Adno,Legal Forename,Legal Surname,Preferred Forename,Date of Birth,Year\n"
        "P1,Olivia,Ashby,Liv,14/03/2017,Year 4\n"
        "P2,Noah,Ashby,,02/11/2019,Year 2\n"
    )
    upload(client, pupils, kind="pupils")
    client.post("/o/rivington/imports/confirm/")
    assert Pupil.objects.get(mis_id="P1").preferred_name == "Liv"
    carers = "Contact ID,Forename,Surname,Linked Pupils\nC1,Sam,Ashby,P1;P2\n"
    upload(client, carers, kind="carers")
    client.post("/o/rivington/imports/confirm/")
    assert sorted(Carer.objects.get(mis_id="C1").pupils.values_list("mis_id", flat=True)) == [
        "P1",
        "P2",
    ]
    bad = "Contact ID,Forename,Surname,Linked Pupils\nC2,Jo,Bell,P9\n"
    page = upload(client, bad, kind="carers")
    assert "Line 2: pupil &#x27;P9&#x27; is not on the roster" in page.content.decode()


def test_the_api_dry_runs_saves_and_refuses_bad_rows(cast: Cast) -> None:
    client = signed_in("head")
    url = "/api/v1/organisations/rivington/imports/staff?preset=sims"
    dry = client.post(url, {"file": SimpleUploadedFile("s.csv", SIMS_STAFF.encode())})
    assert dry.status_code == 200, dry.content
    assert dry.json()["added"] == 3 and not dry.json()["saved"]
    assert StaffRecord.objects.count() == 0
    saved = client.post(
        url + "&dry_run=false", {"file": SimpleUploadedFile("s.csv", SIMS_STAFF.encode())}
    )
    assert saved.json()["saved"] and StaffRecord.objects.count() == 3
    bad = client.post(
        url + "&dry_run=false",
        {"file": SimpleUploadedFile("s.csv", (SIMS_STAFF + "S4,,,,,,,,\n").encode())},
    )
    assert bad.status_code == 422
    assert bad.json()["error_lines"] == [{"line": 5, "reason": "the name is missing"}]
    other = signed_in("otherhead").post(
        url, {"file": SimpleUploadedFile("s.csv", SIMS_STAFF.encode())}
    )
    assert other.status_code == 404


def test_the_cli_dry_run_save_and_bad_file(cast: Cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "staff.csv"
    good.write_text(SIMS_STAFF)
    runner = CliRunner()
    args = ["import", "staff", str(good), "--school", "rivington", "--preset", "sims"]
    dry = runner.invoke(app, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "3 to add" in dry.output
    assert StaffRecord.objects.count() == 0
    saved = runner.invoke(app, [*args, "--yes", "--as", "head"])
    assert saved.exit_code == 0, saved.output
    assert StaffRecord.objects.count() == 3
    assert AuditEvent.objects.get(action="roster.staff_imported").actor == cast.head
    again = runner.invoke(app, [*args, "--yes"])
    assert "3 unchanged" in again.output
    assert AuditEvent.objects.filter(action="roster.staff_imported").count() == 1
    bad = tmp_path / "bad.csv"
    bad.write_text(SIMS_STAFF + "S9,Al,Bo,al@x.example,,,99/99/2024,,\n")
    refused = runner.invoke(
        app, ["import", "staff", str(bad), "--school", "rivington", "--preset", "sims", "--yes"]
    )
    assert refused.exit_code != 0
    assert "line 5: start date" in refused.output
