from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from boundaries.concerns.actions import raise_concern
from boundaries.concerns.attachments import check_file
from boundaries.concerns.errors import ConcernError
from boundaries.concerns.models import Attachment, Concern
from boundaries.core.models import AuditEvent
from tests.cast import Cast
from tests.declarations.school import School, make_school, signed_in

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
PDF = b"%PDF-1.7\n" + b"x" * 32


@pytest.mark.parametrize(
    ("name", "data", "verdict"),
    [
        ("a.png", PNG, "image/png"),
        ("a.JPG", JPEG, "image/jpeg"),
        ("a.jpeg", JPEG, "image/jpeg"),
        ("letter.pdf", PDF, "application/pdf"),
        ("a.png", PDF, "its name says otherwise"),
        ("a.pdf", b"<html><script>alert(1)</script>", "must be a PNG or JPEG image or a PDF"),
        ("a.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "must be a PNG or JPEG"),
        ("a.png", b"", "is empty"),
    ],
)
def test_type_is_decided_by_content_and_name_together(name: str, data: bytes, verdict: str) -> None:
    if "/" in verdict:
        assert check_file(name, data).content_type == verdict
    else:
        with pytest.raises(ConcernError, match=verdict):
            check_file(name, data)


def test_an_oversize_file_is_refused(settings: Any) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ConcernError, match="larger than"):
        check_file("big.png", PNG + b"\x00" * 2048)


@pytest.fixture
def concern(cast: Cast, settings: Any, tmp_path: Path) -> tuple[School, Concern]:
    settings.MEDIA_ROOT = tmp_path / "media"
    school = make_school(cast)
    found = raise_concern(
        cast.school,
        actor=cast.teacher,
        subject=school.manager_record,
        summary="A post",
        detail="Details",
    )
    return school, found


def test_the_dsl_attaches_a_file_stored_outside_static_with_a_random_name(
    concern: tuple[School, Concern], settings: Any
) -> None:
    _, found = concern
    upload = SimpleUploadedFile("screenshot.png", PNG, content_type="image/png")
    response = signed_in("dsl").post(f"/o/rivington/concerns/{found.pk}/attach/", {"file": upload})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    stored = Path(settings.MEDIA_ROOT) / "attachments" / attachment.stored_name
    assert stored.read_bytes() == PNG
    assert "screenshot" not in attachment.stored_name and len(attachment.stored_name) == 40
    assert not str(stored).startswith(str(settings.STATIC_ROOT))


def test_a_download_is_authorised_audited_and_not_cached(
    concern: tuple[School, Concern], settings: Any
) -> None:
    _, found = concern
    upload = SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")
    signed_in("dsl").post(f"/o/rivington/concerns/{found.pk}/attach/", {"file": upload})
    attachment = Attachment.objects.get()
    url = f"/o/rivington/files/{attachment.pk}/"
    response = signed_in("head").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="concerns.attachment_read").count() == 1
    for username in ("teacher", "governor", "otherhead", "admin"):
        assert signed_in(username).get(url).status_code == 404, username
    assert signed_in("otherhead").get(f"/o/brookside/files/{attachment.pk}/").status_code == 404


def test_a_refused_upload_names_the_problem_and_stores_nothing(
    concern: tuple[School, Concern], settings: Any
) -> None:
    _, found = concern
    upload = SimpleUploadedFile("notes.png", b"GIF89a....", content_type="image/png")
    response = signed_in("dsl").post(f"/o/rivington/concerns/{found.pk}/attach/", {"file": upload})
    assert response.status_code == 400
    assert "notes.png must be a PNG or JPEG image or a PDF" in response.text
    assert not Attachment.objects.exists()
    folder = Path(settings.MEDIA_ROOT) / "attachments"
    assert not folder.exists() or not any(folder.iterdir())
