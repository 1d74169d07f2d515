"""The import upload form."""

from __future__ import annotations

from django import forms

from boundaries.core.forms import GovukFormMixin
from boundaries.roster.columns import ColumnError, parse_columns_option
from boundaries.security.malware import ScannedUploadsMixin

KIND_CHOICES = [
    ("staff", "Staff list"),
    ("pupils", "Pupil roster"),
    ("carers", "Parents and carers"),
]
PRESET_CHOICES = [
    ("sims", "SIMS"),
    ("arbor", "Arbor"),
    ("bromcom", "Bromcom"),
    ("generic", "Another system (generic column names)"),
]


class ImportForm(GovukFormMixin, ScannedUploadsMixin, forms.Form):
    kind = forms.ChoiceField(label="What the file holds", choices=KIND_CHOICES)
    preset = forms.ChoiceField(label="Which system exported it", choices=PRESET_CHOICES)
    document = forms.FileField(
        label="CSV file", help_text="A CSV export from your MIS, smaller than 20 MB."
    )
    columns = forms.CharField(
        label="Column names (optional)",
        required=False,
        help_text="Only if your columns are named differently, for example "
        "full_name=Staff name,work_email=Email.",
    )
    partial = forms.BooleanField(
        label="This file is not the full list (do not mark anyone missing as a leaver)",
        required=False,
    )

    def clean_columns(self) -> dict[str, list[str]]:
        try:
            return parse_columns_option(self.cleaned_data.get("columns") or "")
        except ColumnError as error:
            raise forms.ValidationError(str(error)) from None
