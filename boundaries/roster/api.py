"""`POST /api/v1/organisations/{org}/imports/{kind}`: the same import as the page and CLI."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError

from boundaries.core.access import organisation_for
from boundaries.core.models import User
from boundaries.roster.actions import ImportRefused, import_file
from boundaries.roster.columns import KINDS, ColumnError, parse_columns_option
from boundaries.security import malware

router = Router()


class RowErrorOut(Schema):
    line: int
    reason: str


class ChangedOut(Schema):
    name: str
    fields: list[str]


class ImportSummaryOut(Schema):
    kind: str
    filename: str
    sha256: str
    saved: bool
    rows: int
    added: int
    changed: int
    leavers: int
    unchanged: int
    errors: int
    added_names: list[str]
    changed_names: list[ChangedOut]
    leaver_names: list[str]
    error_lines: list[RowErrorOut]


class DetailOut(Schema):
    detail: str


@router.post(
    "/organisations/{org}/imports/{kind}",
    response={200: ImportSummaryOut, 400: DetailOut, 422: ImportSummaryOut, 503: DetailOut},
)
def import_csv(
    request: HttpRequest,
    org: str,
    kind: str,
    file: UploadedFile = File(...),
    preset: str = "generic",
    columns: str = "",
    partial: bool = False,
    dry_run: bool = True,
) -> Any:
    """Import staff, pupils or carers from a CSV export. A dry run unless `dry_run=false`;
    any bad row refuses the whole file (422, each row named) and nothing is saved."""
    organisation = organisation_for(request.user, org, "roster.import")
    if kind not in KINDS:
        return Status(400, {"detail": f"kind must be one of {', '.join(KINDS)}"})
    if not dry_run and not isinstance(request.user, User):
        raise HttpError(403, "Saving an import needs a signed-in person, not an API token")
    try:
        malware.scan_upload(file, malware.Uploader.of(request, organisation, "api.roster.import"))
    except malware.UploadRefused as refused:
        return Status(refused.status, {"detail": str(refused)})
    try:
        plan = import_file(
            organisation,
            kind,
            file.read(),
            filename=file.name or "upload.csv",
            preset=preset,
            columns=parse_columns_option(columns),
            full=not partial,
            dry_run=dry_run,
            actor=request.user if isinstance(request.user, User) else None,
        )
    except (ImportRefused, ColumnError) as error:
        return Status(400, {"detail": str(error)})
    body = {**plan.summary(), "saved": plan.ok and not dry_run and plan.changes_anything}
    return Status(200 if plan.ok else 422, body)
