"""The transparency notice and DPIA template, generated from the school's own settings.

Written as Markdown templates (what a school downloads and edits) and shown as HTML by a
small converter for the subset they use: headings, paragraphs, bullets and tables.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from boundaries.core.models import Organisation, WorkingCalendar
from boundaries.webactivity.inputs import settings_for
from boundaries.webactivity.models import WebActivitySettings, WorkUseMark
from engines.weblogs import load_catalogue

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def notice_context(organisation: Organisation | None, *, today: dt.date | None) -> dict[str, Any]:
    """Facts for the documents; with no organisation, the defaults a new school starts with."""
    if organisation is not None:
        calendar = WorkingCalendar.objects.filter(organisation=organisation).first()
        settings = settings_for(organisation)
        marks = list(WorkUseMark.objects.filter(organisation=organisation))
        name = organisation.name
    else:
        calendar, marks, name = None, [], "[School name]"
        settings = WebActivitySettings()
    calendar = calendar or WorkingCalendar()
    defaults = settings
    return {
        "school": name,
        "today": today,
        "weekdays": ", ".join(DAYS[d] for d in sorted(calendar.weekdays)),
        "start": calendar.start.strftime("%H:%M"),
        "end": calendar.end.strftime("%H:%M"),
        "breaks": [f"{b[0]} to {b[1]}" for b in calendar.breaks],
        "threshold": defaults.threshold_minutes,
        "retention": defaults.retention_days,
        "email_logins": defaults.match_email_logins,
        "platforms": ", ".join(load_catalogue().names)
        if organisation is not None
        else "those in Boundaries' platform catalogue (engines/weblogs/data)",
        "work_use": sorted({m.platform + (" (named staff)" if m.staff_id else "") for m in marks}),
    }


DOCUMENTS = ("transparency-notice", "dpia-template")
DOCS_DIR = Path(__file__).resolve().parents[2] / "docs"


def write_docs(directory: Path = DOCS_DIR) -> list[Path]:
    """Regenerate docs/transparency-notice.md and docs/dpia-template.md from the defaults."""
    written = []
    for name in DOCUMENTS:
        path = directory / f"{name}.md"
        path.write_text(render_markdown(name, notice_context(None, today=None)), encoding="utf-8")
        written.append(path)
    return written


def render_markdown(name: str, context: dict[str, Any]) -> str:
    text = render_to_string(f"webactivity/docs/{name}.md", context)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _inline(text: str) -> str:
    out = escape(text)
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)


def markdown_html(text: str) -> SafeString:
    """Headings, paragraphs, `- ` bullets and `|` tables; everything escaped."""
    html: list[str] = []
    blocks = re.split(r"\n\s*\n", text.strip())
    for block in blocks:
        lines = block.splitlines()
        first = lines[0]
        if first.startswith("#"):
            level = min(len(first) - len(first.lstrip("#")), 3)
            size = {1: "l", 2: "m", 3: "s"}[level]
            tag = f"h{level}"
            html.append(
                f'<{tag} class="govuk-heading-{size}">{_inline(first.lstrip("# "))}</{tag}>'
            )
            lines = lines[1:]
            if not lines:
                continue
            first = lines[0]
        if first.startswith("- "):
            items = "".join(
                f"<li>{_inline(line[2:])}</li>" for line in lines if line.startswith("- ")
            )
            html.append(f'<ul class="govuk-list govuk-list--bullet">{items}</ul>')
        elif first.startswith("|"):
            rows = [
                [c.strip() for c in line.strip().strip("|").split("|")]
                for line in lines
                if not re.match(r"^\|[\s\-|]+\|$", line.strip())
            ]
            head = "".join(
                f'<th scope="col" class="govuk-table__header">{_inline(c)}</th>' for c in rows[0]
            )
            body = "".join(
                '<tr class="govuk-table__row">'
                + "".join(f'<td class="govuk-table__cell">{_inline(c)}</td>' for c in row)
                + "</tr>"
                for row in rows[1:]
            )
            html.append(
                '<table class="govuk-table"><thead class="govuk-table__head">'
                f'<tr class="govuk-table__row">{head}</tr></thead>'
                f'<tbody class="govuk-table__body">{body}</tbody></table>'
            )
        else:
            html.append(f'<p class="govuk-body">{_inline(" ".join(lines))}</p>')
    return mark_safe("".join(html))  # noqa: S308 - every piece is escaped by _inline
