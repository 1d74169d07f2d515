from __future__ import annotations

import datetime as dt

import pytest

from boundaries.core.models import AuditEvent
from boundaries.declarations import device_actions
from boundaries.declarations.errors import DeclarationError
from boundaries.declarations.models import DeviceLoan, SchoolDevice
from tests.cast import Cast
from tests.declarations.school import School, make_school, signed_in


@pytest.fixture
def school(cast: Cast) -> School:
    return make_school(cast)


def test_a_device_is_registered_lent_listed_overdue_returned_and_wiped(school: School) -> None:
    head = signed_in("head")
    head.post(
        "/o/rivington/devices/new/", {"kind": "camera", "label": "Camera 2", "asset_tag": "RFP-C2"}
    )
    device = SchoolDevice.objects.get()
    response = head.post(
        f"/o/rivington/devices/{device.pk}/lend/",
        {
            "borrower": str(school.teacher_record.pk),
            "purpose": "Year 4 trip to the museum",
            "loaned_on": "02/11/2026",
            "due_back": "03/11/2026",
        },
    )
    assert response.status_code == 302
    loan = DeviceLoan.objects.get()
    page = head.get("/o/rivington/devices/")
    assert "Overdue returns" in page.text and "Tess Teacher" in page.text
    head.post(
        f"/o/rivington/devices/loans/{loan.pk}/return/",
        {
            "returned_on": "04/11/2026",
            "images_transferred_on": "04/11/2026",
            "wiped_on": "05/11/2026",
        },
    )
    loan.refresh_from_db()
    assert loan.returned_on == dt.date(2026, 11, 4) and loan.wiped_on == dt.date(2026, 11, 5)
    assert loan.wiped_by == school.cast.head
    assert AuditEvent.objects.filter(action="devices.returned").exists()
    assert "Overdue returns" not in head.get("/o/rivington/devices/").text


def test_a_device_out_on_loan_cannot_be_lent_twice(school: School) -> None:
    device = device_actions.add_device(
        school.cast.school, actor=school.cast.head, kind="tablet", label="iPad 7"
    )
    args = {
        "actor": school.cast.head,
        "borrower": school.teacher_record,
        "purpose": "Sports day",
        "loaned_on": dt.date(2026, 6, 1),
        "due_back": dt.date(2026, 6, 2),
    }
    device_actions.lend(device, **args)  # type: ignore[arg-type]
    with pytest.raises(DeclarationError, match="is out with Tess Teacher"):
        device_actions.lend(device, **args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("returned", "transferred", "wiped", "message"),
    [
        (dt.date(2026, 5, 31), None, None, "cannot be before the day it was lent"),
        (dt.date(2026, 6, 2), None, dt.date(2026, 6, 1), "before the device came back"),
        (dt.date(2026, 6, 2), dt.date(2026, 6, 4), dt.date(2026, 6, 3), "Transfer the images"),
    ],
)
def test_impossible_return_records_are_refused(
    school: School,
    returned: dt.date,
    transferred: dt.date | None,
    wiped: dt.date | None,
    message: str,
) -> None:
    device = device_actions.add_device(
        school.cast.school, actor=school.cast.head, kind="phone", label="Trip phone"
    )
    loan = device_actions.lend(
        device,
        actor=school.cast.head,
        borrower=school.teacher_record,
        purpose="Residential",
        loaned_on=dt.date(2026, 6, 1),
        due_back=dt.date(2026, 6, 3),
    )
    with pytest.raises(DeclarationError, match=message):
        device_actions.record_return(
            loan,
            actor=school.cast.head,
            returned_on=returned,
            images_transferred_on=transferred,
            wiped_on=wiped,
        )


def test_the_register_is_for_managers_not_teachers_or_other_schools(school: School) -> None:
    assert signed_in("manager").get("/o/rivington/devices/").status_code == 200
    assert signed_in("manager").get("/o/rivington/devices/new/").status_code == 404
    for username in ("teacher", "governor", "otherhead", "admin"):
        assert signed_in(username).get("/o/rivington/devices/").status_code == 404, username
