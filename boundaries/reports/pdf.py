"""PDFs from templates with WeasyPrint; no network fetches (only our own inline CSS)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"PDFs fetch nothing: {url}")


def pdf_response(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    filename: str,
    *,
    pdf_variant: str | None = None,
) -> HttpResponse:
    """`pdf_variant="pdf/ua-1"` makes a tagged PDF (structure, title, language) for screen
    readers; the template's <title> and <html lang> give its title and language."""
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    data = HTML(string=html, url_fetcher=_no_fetch).write_pdf(pdf_variant=pdf_variant)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
