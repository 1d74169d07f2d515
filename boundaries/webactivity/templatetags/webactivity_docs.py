"""`as_html`: the generated notice and DPIA, from Markdown to GOV.UK-styled HTML."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from boundaries.webactivity.documents import markdown_html

register = template.Library()


@register.filter
def as_html(text: str) -> SafeString:
    return markdown_html(text)
