"""Forms for the policy pages, one question or short group per page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings

from boundaries.core.forms import GovukFormMixin, date_field
from boundaries.policies.catalogue import controls
from boundaries.policies.importing import SUFFIXES
from boundaries.security.malware import ScannedUploadsMixin


class ImportForm(GovukFormMixin, ScannedUploadsMixin, forms.Form):
    document = forms.FileField(
        label="Policy document",
        help_text="A Word document (.docx), PDF, plain text or Markdown file, up to 10 MB.",
        error_messages={"required": "Choose a policy document to import"},
    )

    def clean_document(self) -> Any:
        upload = self.cleaned_data["document"]
        if Path(upload.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError("The document must be a .docx, .pdf, .txt or .md file")
        if upload.size > settings.POLICY_UPLOAD_MAX_BYTES:
            raise forms.ValidationError("The document must be smaller than 10 MB")
        return upload


class RatifyForm(GovukFormMixin, forms.Form):
    date_ratified = date_field(
        "Date the governing body ratified it",
        help_text="For example, 27 11 2025, or 2025-11-27",
        missing="Enter the date the governing body ratified the policy",
        invalid="Date ratified must be a real date, like 27/11/2025",
    )
    minute_ref = forms.CharField(
        label="Minute reference",
        max_length=100,
        help_text="The reference of the governing body's minute, for example GB/2025/11/6",
        error_messages={"required": "Enter the minute reference"},
    )
    next_review = date_field(
        "Next review date (optional)",
        required=False,
        help_text="Leave empty for 12 months after ratification",
        invalid="Next review date must be a real date, like 27/11/2026",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ratified: dt.date | None = data.get("date_ratified")
        review: dt.date | None = data.get("next_review")
        if ratified and review and review <= ratified:
            self.add_error("next_review", "Next review date must be after the date ratified")
        return data


class ClauseForm(GovukFormMixin, forms.Form):
    heading = forms.CharField(label="Heading (optional)", required=False, max_length=300)
    text = forms.CharField(
        label="Text of the clause",
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Enter the text of the clause"},
    )


class ConflictDecisionForm(GovukFormMixin, forms.Form):
    decision = forms.CharField(
        label="The governing body's decision",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the governing body's decision"},
    )
    decided_on = date_field(
        "Date of the decision",
        help_text="For example, 2025-11-27",
        missing="Enter the date of the decision",
        invalid="Date of the decision must be a real date",
    )
    minute_ref = forms.CharField(
        label="Minute reference (optional)", required=False, max_length=100
    )


class LinkForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="Title", max_length=300, error_messages={"required": "Enter the title of the link"}
    )
    url = forms.URLField(
        label="Web address",
        help_text="For example, the Acceptable Use Policy on the school's intranet",
        assume_scheme="https",
        error_messages={"required": "Enter the web address", "invalid": "Enter a web address"},
    )
    clause_number = forms.CharField(
        label="Clause it belongs to (optional)",
        required=False,
        max_length=40,
        help_text="For example, 6(ii)",
    )


def control_choices() -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in controls().values()]


class ConflictFlagForm(GovukFormMixin, forms.Form):
    guidance = forms.CharField(
        label="Which statutory guidance?",
        max_length=300,
        help_text="For example, Keeping Children Safe in Education",
        error_messages={"required": "Enter the statutory guidance the clause is in tension with"},
    )
    reason = forms.CharField(
        label="Why is the clause in tension with it?",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say why the clause is in tension with the guidance"},
    )
