"""Checking, storing and reading attachment files.

The type is decided by the file's first bytes, not its name: a PNG, JPEG or PDF whose name
agrees. Files go under MEDIA_ROOT/attachments with random names and no extension, outside
the static files that WhiteNoise serves, and are read back only by the authorised view.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from boundaries.concerns.errors import ConcernError
from boundaries.concerns.models import Attachment, Concern, PupilContactReport
from boundaries.core import audit
from boundaries.core.models import User

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# content type -> (leading bytes, file name endings that agree with it)
SIGNATURES: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "image/png": (b"\x89PNG\r\n\x1a\n", (".png",)),
    "image/jpeg": (b"\xff\xd8\xff", (".jpg", ".jpeg")),
    "application/pdf": (b"%PDF-", (".pdf",)),
}


def max_bytes() -> int:
    return int(getattr(settings, "ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def storage_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "attachments"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    data: bytes


def sniff(data: bytes) -> str | None:
    for content_type, (magic, _endings) in SIGNATURES.items():
        if data.startswith(magic):
            return content_type
    return None


def check_file(name: str, data: bytes) -> CheckedFile:
    """Refuse anything that is not a PNG, JPEG or PDF of a sensible size, saying why."""
    shown = Path(name).name[:200] or "the file"
    if not data:
        raise ConcernError(f"{shown} is empty")
    limit = max_bytes()
    if len(data) > limit:
        raise ConcernError(f"{shown} is larger than {limit // (1024 * 1024)} MB")
    content_type = sniff(data)
    if content_type is None:
        raise ConcernError(f"{shown} must be a PNG or JPEG image or a PDF")
    if not shown.lower().endswith(SIGNATURES[content_type][1]):
        raise ConcernError(
            f"{shown} is a {content_type.split('/')[1].upper()} file but its name says otherwise"
        )
    return CheckedFile(shown, content_type, data)


def path_of(attachment: Attachment) -> Path:
    return storage_dir() / attachment.stored_name


def _write(data: bytes) -> str:
    folder = storage_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored = secrets.token_hex(20)
    temporary = folder / f".{stored}.part"
    with open(temporary, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, folder / stored)
    return stored


def attach(
    checked: CheckedFile,
    *,
    actor: User,
    concern: Concern | None = None,
    pupil_contact: PupilContactReport | None = None,
    now: dt.datetime | None = None,
) -> Attachment:
    """Store the file and its row together: if the row is not saved, the file is removed."""
    record = concern or pupil_contact
    if record is None:
        raise ConcernError("An attachment belongs to a concern or a pupil-contact report")
    now = now or timezone.now()
    stored = _write(checked.data)
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                organisation=record.organisation,
                concern=concern,
                pupil_contact=pupil_contact,
                stored_name=stored,
                original_name=checked.name,
                content_type=checked.content_type,
                size=len(checked.data),
                sha256=hashlib.sha256(checked.data).hexdigest(),
                uploaded_by=actor,
                uploaded_at=now,
            )
            if concern is not None:
                concern.events.create(
                    at=now, actor=actor, kind="attachment", text=f"Attached {checked.name}"
                )
            audit.record(
                "concerns.attachment_added",
                actor=actor,
                organisation=record.organisation,
                obj=attachment,
                after={
                    "concern": concern.pk if concern else None,
                    "pupil_contact": pupil_contact.pk if pupil_contact else None,
                    "content_type": checked.content_type,
                    "size": len(checked.data),
                    "sha256": attachment.sha256,
                },
                now=now,
            )
    except BaseException:
        (storage_dir() / stored).unlink(missing_ok=True)
        raise
    return attachment


def record_download(attachment: Attachment, *, actor: User, now: dt.datetime | None = None) -> None:
    with transaction.atomic():
        audit.record(
            "concerns.attachment_read",
            actor=actor,
            organisation=attachment.organisation,
            obj=attachment,
            now=now,
        )


def delete_file(attachment: Attachment) -> None:
    path_of(attachment).unlink(missing_ok=True)
