"""Policy documents in: parse with engines.policydoc, confirm, then store as a version.

Shared by the upload page, `boundaries policy import` and the API, so all three agree on
what a document turns into and refuse the same documents with the same message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from boundaries.core.models import Organisation, User
from boundaries.policies import actions
from boundaries.policies.models import Policy, PolicyKind, PolicyVersion
from boundaries.policies.structure import ClauseInput, from_document_clause
from engines.policydoc import DocumentError, parse_document

SUFFIXES = (".txt", ".md", ".markdown", ".docx", ".pdf")


class ImportRefused(Exception):
    """The document cannot be imported; the message says where and why."""


@dataclass(frozen=True)
class ParsedImport:
    filename: str
    sha256: str
    title: str
    organisation_name: str | None
    model_title: str | None
    preamble: str
    dates: dict[str, tuple[dt.date, str] | None]
    clauses: list[ClauseInput]

    def to_json(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "sha256": self.sha256,
            "title": self.title,
            "organisation": self.organisation_name,
            "model_title": self.model_title,
            "preamble": self.preamble,
            "dates": {
                name: (
                    None
                    if value is None
                    else (value[0].isoformat() if value[1] == "day" else value[0].strftime("%Y-%m"))
                )
                for name, value in self.dates.items()
            },
            "clauses": [c.to_json() for c in self.clauses],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ParsedImport:
        def clause(d: dict[str, Any]) -> ClauseInput:
            return ClauseInput(
                number=d["number"],
                heading=d["heading"],
                text=d["text"],
                notes=[(n["kind"], n["text"]) for n in d["notes"]],
                children=[clause(c) for c in d["children"]],
            )

        dates: dict[str, tuple[dt.date, str] | None] = {}
        for name, value in data["dates"].items():
            if value is None:
                dates[name] = None
            elif len(value) == 7:
                dates[name] = (dt.date.fromisoformat(value + "-01"), "month")
            else:
                dates[name] = (dt.date.fromisoformat(value), "day")
        return cls(
            filename=data["filename"],
            sha256=data["sha256"],
            title=data["title"],
            organisation_name=data["organisation"],
            model_title=data["model_title"],
            preamble=data["preamble"],
            dates=dates,
            clauses=[clause(c) for c in data["clauses"]],
        )

    def clause_count(self) -> int:
        return sum(1 for root in self.clauses for _ in root.walk())


def parse_upload(data: bytes, filename: str) -> ParsedImport:
    if not data:
        raise ImportRefused(f"{filename}: the file is empty")
    try:
        document = parse_document(data, filename)
    except DocumentError as error:
        raise ImportRefused(f"{filename}: {error}") from None
    dates: dict[str, tuple[dt.date, str] | None] = {}
    for name in ("written", "ratified", "next_review", "adopted"):
        value = getattr(document, name)
        dates[name] = None if value is None else (value.as_date(), value.precision)
    return ParsedImport(
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        title=document.title or filename,
        organisation_name=document.organisation,
        model_title=document.model_title,
        preamble=document.preamble,
        dates=dates,
        clauses=[from_document_clause(c) for c in document.clauses],
    )


def save_import(
    organisation: Organisation,
    parsed: ParsedImport,
    *,
    actor: User | None,
    policy: Policy | None = None,
    adopted_from: PolicyVersion | None = None,
    now: dt.datetime | None = None,
) -> PolicyVersion:
    """Store the parsed document as a new draft version (of a new policy if none given)."""
    from django.db import transaction

    with transaction.atomic():
        if policy is None:
            policy = Policy.objects.filter(
                organisation=organisation,
                kind=PolicyKind.SOCIAL_MEDIA,
                is_model=organisation.is_umbrella,
            ).first() or actions.create_policy(
                organisation,
                title=parsed.title,
                kind=PolicyKind.SOCIAL_MEDIA,
                is_model=organisation.is_umbrella,
                actor=actor,
                now=now,
            )
        return actions.create_version(
            policy,
            parsed.clauses,
            actor=actor,
            title=parsed.title,
            preamble=parsed.preamble,
            dates=parsed.dates,
            adopted_from=adopted_from,
            source_filename=parsed.filename,
            source_sha256=parsed.sha256,
            change_note=f"Imported from {parsed.filename}",
            now=now,
        )
