"""Reading and confirming through the API, and the rates."""

from __future__ import annotations

from boundaries.acknowledgements.models import Acknowledgement
from tests.acknowledgements.helpers import import_staff, policy_in_force, signed_in
from tests.cast import Cast


def test_a_teacher_lists_and_confirms_through_the_api(cast: Cast) -> None:
    import_staff(cast)
    _, v1 = policy_in_force(cast)
    client = signed_in("teacher")
    listed = client.get("/api/v1/organisations/rivington/to-read").json()
    assert [a["content_hash"] for a in listed] == [v1.content_hash]
    url = f"/api/v1/organisations/rivington/to-read/{listed[0]['id']}/acknowledge"
    done = client.post(url, {}, content_type="application/json")
    assert done.status_code == 201, done.content
    assert done.json()["method"] == "api"
    assert Acknowledgement.objects.get().content_hash == v1.content_hash
    again = client.post(url, {}, content_type="application/json")
    assert again.status_code == 409
    assert client.get("/api/v1/organisations/rivington/to-read").json() == []


def test_rates_for_the_school_and_the_authority(cast: Cast) -> None:
    import_staff(cast)
    policy_in_force(cast)
    rate = signed_in("governor").get("/api/v1/organisations/rivington/acknowledgement-rate")
    assert rate.json()["in_scope"] == 4 and rate.json()["percent"] == 0
    schools = signed_in("admin").get(
        "/api/v1/organisations/testshire/schools/acknowledgement-rates"
    )
    assert [s["organisation"] for s in schools.json()] == ["brookside", "rivington"]
    assert (
        signed_in("teacher").get("/api/v1/organisations/rivington/acknowledgement-rate").status_code
        == 404
    )
