"""The yearly privacy-settings check: the person confirms; the school sees only the rate."""

from __future__ import annotations

from boundaries.acknowledgements.models import PrivacyCheck
from boundaries.core.models import AuditEvent
from tests.acknowledgements.helpers import import_staff, policy_in_force, signed_in, staff
from tests.cast import Cast


def test_a_teacher_confirms_and_the_school_sees_the_rate_not_the_platforms(cast: Cast) -> None:
    import_staff(cast)
    policy_in_force(cast)
    client = signed_in("teacher")
    page = client.get("/o/rivington/privacy-check/").content.decode()
    assert "What to check on TikTok" in page
    refused = client.post("/o/rivington/privacy-check/", {})
    assert "Tick each platform you checked" in refused.content.decode()
    done = client.post("/o/rivington/privacy-check/", {"platforms": ["tiktok", "snapchat"]})
    assert done.status_code == 302
    check = PrivacyCheck.objects.get(staff=staff("S2"))
    assert check.platforms == ["snapchat", "tiktok"]
    event = AuditEvent.objects.get(action="acknowledgements.privacy_check_done")
    assert "tiktok" not in str(event.after)
    assert "You did this year" in client.get("/o/rivington/privacy-check/").content.decode()
    for user in ("head", "governor"):
        report = signed_in(user).get("/o/rivington/reports/governors/").content.decode()
        assert "Privacy-settings check done this school year" in report
        assert "TikTok" not in report and "tiktok" not in report


def test_nobody_without_a_staff_record_gets_the_check(cast: Cast) -> None:
    import_staff(cast)
    assert signed_in("governor").get("/o/rivington/privacy-check/").status_code == 404
