"""Forms of the web-activity pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from boundaries.core.forms import GovukFormMixin
from boundaries.security.malware import ScannedUploadsMixin
from engines.weblogs import FORMATS

MAX_UPLOAD = 1 << 30  # 1 GiB: a day of a large school's proxy log, compressed
MAX_IDENTITIES = 5 << 20


def upload_limit() -> int:
    """What the page can take: requests over REQUEST_MAX_BYTES are refused before any form
    sees them, so the page must not promise more than that."""
    return min(MAX_UPLOAD, int(settings.REQUEST_MAX_BYTES))


def size_words(size: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"


class UploadForm(GovukFormMixin, ScannedUploadsMixin, forms.Form):
    log = forms.FileField(
        label="Log file",
        help_text="Plain text, gzip (.gz) or zstd (.zst). It is deleted after the analysis: "
        "only the figures are kept.",
        error_messages={"required": "Choose a log file", "empty": "The log file is empty"},
    )
    format = forms.ChoiceField(
        label="Format",
        choices=[(f, f) for f in FORMATS],
        initial="squid",
        widget=forms.Select,
    )
    columns = forms.CharField(
        label="Column mapping (CSV only)",
        help_text="For a CSV export whose first line differs from its preset, or for the csv "
        "format: the file's own column names, e.g. time=Date,user=User,url=URL; also "
        "time_format=%d/%m/%Y %H:%M and denied=Blocked|Refused",
        required=False,
        max_length=500,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["log"].help_text = (
            f"Plain text, gzip (.gz) or zstd (.zst), up to {size_words(upload_limit())}: "
            "compress a larger log (proxy logs shrink about tenfold), or analyse it with "
            "boundaries weblogs analyse --school. It is deleted after the analysis: only the "
            "figures are kept."
        )

    def clean_log(self) -> object:
        upload = self.cleaned_data["log"]
        if upload.size > upload_limit():
            raise forms.ValidationError(
                f"The log file must be smaller than {size_words(upload_limit())}"
            )
        if upload.size == 0:
            raise forms.ValidationError("The log file is empty")
        return upload


class IdentitiesForm(GovukFormMixin, ScannedUploadsMixin, forms.Form):
    identities = forms.FileField(
        label="Identities CSV",
        help_text="Columns: person (work email or MIS id), login and/or ip, valid_from, "
        "valid_to. It replaces the mappings uploaded before.",
        error_messages={"required": "Choose a CSV file", "empty": "The identities file is empty"},
    )

    def clean_identities(self) -> object:
        upload = self.cleaned_data["identities"]
        if upload.size > MAX_IDENTITIES:
            raise forms.ValidationError("The identities file must be smaller than 5 MB")
        return upload


class SettingsForm(GovukFormMixin, forms.Form):
    threshold_minutes = forms.IntegerField(
        label="Threshold, in minutes a day",
        help_text="Days with more minutes of personal social media use in working hours "
        "are listed.",
        min_value=1,
        max_value=600,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}),
    )
    retention_days = forms.IntegerField(
        label="Keep figures for, in days",
        help_text="Figures older than this are deleted.",
        min_value=7,
        max_value=730,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-4"}),
    )
    match_email_logins = forms.BooleanField(
        label="Match proxy logins to the part of work email addresses before the @",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )


class ReasonForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why do you need to see this person's figures?",
        help_text="Your reason is written to the audit log with your name.",
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Give a reason for looking at named figures",
            "min_length": "Give a reason of at least 10 characters",
        },
    )


class ChallengeForm(GovukFormMixin, forms.Form):
    note = forms.CharField(
        label="What is wrong with this figure?",
        help_text="For example: I was using the school's own page, or that device is shared.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what is wrong with the figure"},
    )


class AnswerForm(GovukFormMixin, forms.Form):
    answer = forms.CharField(
        label="Your answer",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write the answer the member of staff will see"},
    )


class WorkUseForm(GovukFormMixin, forms.Form):
    platform = forms.ChoiceField(label="Platform", widget=forms.Select)
    staff = forms.ChoiceField(
        label="Who",
        help_text="Everyone, or the one person who runs the school's account on it.",
        widget=forms.Select,
        required=False,
    )

    def __init__(
        self, *args: object, platforms: list[str], staff: list[tuple[int, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = [(p, p) for p in platforms]  # type: ignore[attr-defined]
        self.fields["staff"].choices = [("", "Everyone")] + [  # type: ignore[attr-defined]
            (str(pk), name) for pk, name in staff
        ]
        self._errors = None  # GovukFormMixin validated before the choices were known
