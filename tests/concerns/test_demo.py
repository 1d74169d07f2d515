from __future__ import annotations

from django.test import Client

from boundaries import demo
from boundaries.concerns.models import Concern, PupilContactReport
from boundaries.core.models import User
from boundaries.declarations.models import ConnectionDeclaration, Vacancy


def test_the_demo_adds_declarations_a_contact_a_concern_and_devices_once(db: None) -> None:
    made = demo.build()
    assert made["declarations"] >= 2 and made["pupil_contact_reports"] == 1
    assert made["concerns"] == 1 and made["vacancies"] == 2 and made["devices"] == 4
    again = demo.build()
    assert again["declarations"] == 0 and again["concerns"] == 0 and again["devices"] == 0
    assert ConnectionDeclaration.objects.count() == made["declarations"]
    assert PupilContactReport.objects.count() == 1 and Concern.objects.count() == 1
    assert Vacancy.objects.count() == 2
    client = Client()
    client.force_login(User.objects.get(username="dsl.rivington"))
    assert "Snapchat" in client.get("/o/rivington/pupil-contacts/").text
    assert "strike day" in client.get("/o/rivington/concerns/").text
    review = client.get("/o/rivington/declarations/review/").text
    assert "Waiting for review" in review and "Reviewed" in review
    assert "Overdue returns" in client.get("/o/rivington/devices/").text
