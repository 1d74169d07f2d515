"""CSV exports that a spreadsheet cannot turn into formulas (CSV injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

# RFC 4180 quoting by the csv module; a leading quote on anything a spreadsheet would act
# on (OWASP ASVS 5.0 V1.2.10 lists the null character too).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def safe_cell(value: Any) -> str:
    """A value as text, with a leading quote where a spreadsheet would see a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
