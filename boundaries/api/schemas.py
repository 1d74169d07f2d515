"""The API's response and request shapes (published in the OpenAPI schema)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: str
    parent: str | None


class NoteOut(Schema):
    kind: str
    text: str


class ClauseOut(Schema):
    number: str
    anchor: str
    heading: str
    text: str
    notes: list[NoteOut]
    controls: list[str]
    children: list[ClauseOut]


class VersionSummary(Schema):
    id: int
    number: int
    status: str
    title: str
    date_ratified: dt.date | None
    ratification_minute_ref: str
    date_in_force: dt.date | None
    review_due: dt.date | None
    adopted_from: int | None
    content_hash: str


class VersionOut(VersionSummary):
    date_written: dt.date | None
    date_adopted: dt.date | None
    policy: int
    clauses: list[ClauseOut]


class PolicyOut(Schema):
    id: int
    title: str
    kind: str
    is_model: bool
    version_in_force: int | None
    versions: list[VersionSummary]


class ClauseDiffOut(Schema):
    number: str
    state: str
    heading: str
    text_html: str


class DiffOut(Schema):
    from_version: int
    to_version: int
    clauses: list[ClauseDiffOut]


class ParsedClauseOut(Schema):
    number: str
    heading: str
    text: str
    notes: list[NoteOut]
    children: list[ParsedClauseOut]


class ImportOut(Schema):
    saved: bool
    version: int | None
    filename: str
    sha256: str
    title: str
    dates: dict[str, str | None]
    clauses: list[ParsedClauseOut]


class RatifyIn(Schema):
    date_ratified: dt.date
    minute_ref: str
    next_review: dt.date | None = None


class AdoptionOut(Schema):
    school: str
    name: str
    version: int | None
    model_version: int | None
    review_due: dt.date | None
    overdue: bool


class ErrorOut(Schema):
    detail: str
