"""Forms for declarations, recruitment attestations and the device register."""

from __future__ import annotations

from typing import Any

from django import forms

from boundaries.core.forms import GovukFormMixin, date_field
from boundaries.declarations.models import (
    AttestationKind,
    CounterpartKind,
    DeclarationOutcome,
    DeviceKind,
    Relationship,
)

PLATFORMS = [
    ("Facebook", "Facebook"),
    ("Instagram", "Instagram"),
    ("WhatsApp", "WhatsApp"),
    ("Snapchat", "Snapchat"),
    ("TikTok", "TikTok"),
    ("X (Twitter)", "X (Twitter)"),
    ("Text messages", "Text messages"),
    ("Personal email", "Personal email"),
]


class DeclarationForm(GovukFormMixin, forms.Form):
    counterpart_kind = forms.ChoiceField(
        label="Who is the connection with?",
        choices=CounterpartKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the connection is with"},
    )
    person = forms.ChoiceField(
        label="Choose them from the school's records",
        required=False,
        help_text="Pupils and former pupils by name and year; parents and carers by name.",
    )
    counterpart_name = forms.CharField(
        label="Or type their name",
        required=False,
        max_length=200,
        help_text="If they are not in the list.",
    )
    relationship = forms.ChoiceField(
        label="How do you know them?",
        choices=Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you know them"},
    )
    relationship_detail = forms.CharField(
        label="Tell us more (optional)", required=False, max_length=300
    )
    platforms = forms.MultipleChoiceField(
        label="Where are you connected?",
        choices=PLATFORMS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_platforms = forms.CharField(
        label="Other platforms",
        required=False,
        max_length=200,
        help_text="Separate them with commas.",
    )
    since = date_field("Connected since", required=False, help_text="Roughly, if you are not sure")

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Not in the list"), *people]  # type: ignore[attr-defined]
        self._errors = None  # the mixin validated before the choices were set

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        others = [p.strip() for p in data.get("other_platforms", "").split(",") if p.strip()]
        data["all_platforms"] = [*data.get("platforms", []), *others]
        if not data["all_platforms"]:
            self.add_error("platforms", "Choose or type at least one platform")
        if not data.get("person") and not data.get("counterpart_name", "").strip():
            self.add_error("counterpart_name", "Choose the person from the list or type a name")
        return data


class ReviewForm(GovukFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=DeclarationOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome of your review"},
    )
    note = forms.CharField(
        label="Note for the record (optional)", required=False, widget=forms.Textarea
    )


class AdviceForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label="Advice shown after a declaration",
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"required": "Write the advice staff will see"},
    )


class VacancyForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Job title", max_length=200)
    reference = forms.CharField(label="Vacancy reference (optional)", max_length=60, required=False)
    closing_date = date_field("Closing date", required=False)
    shortlist = forms.CharField(
        label="Shortlisted candidates",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One candidate reference per line, for example C1. Not names: the record "
        "needs only to show that every candidate was treated alike.",
    )


class AttestationForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What did the panel do?",
        choices=AttestationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the panel did"},
    )
    panel = forms.CharField(label="Panel members", max_length=300)
    searched = forms.CharField(
        label="What was searched, and where",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only if the governing body decided that searches are made.",
    )
    public_only = forms.BooleanField(
        label="Only public web search results were looked at", required=False
    )
    candidates = forms.MultipleChoiceField(
        label="Candidates the same searches were made for",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, candidates: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidates"].choices = candidates  # type: ignore[attr-defined]
        self._errors = None  # the mixin validated before the choices were set


class DeviceForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Kind of device", choices=DeviceKind.choices)
    label = forms.CharField(label="Label", max_length=100, help_text="As written on the device")
    asset_tag = forms.CharField(label="Asset tag (optional)", max_length=60, required=False)


class LoanForm(GovukFormMixin, forms.Form):
    borrower = forms.ChoiceField(label="Lent to")
    purpose = forms.CharField(label="Trip or activity", max_length=200)
    loaned_on = date_field("Date lent")
    due_back = date_field("Due back")

    def __init__(self, *args: Any, staff: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["borrower"].choices = [("", "Choose a member of staff"), *staff]  # type: ignore[attr-defined]
        self._errors = None  # the mixin validated before the choices were set


class ReturnForm(GovukFormMixin, forms.Form):
    returned_on = date_field("Date returned")
    images_transferred_on = date_field("Images transferred to school storage on", required=False)
    wiped_on = date_field("Device wiped on", required=False)
