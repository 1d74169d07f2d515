"""The checker's forms. The draft is a form field only: it is never bound to a model."""

from __future__ import annotations

import datetime as dt

from django import forms

from boundaries.core.forms import GovukFormMixin

AUDIENCE_CHOICES = [
    ("public", "Public: anyone can see it"),
    ("friends", "Friends or followers of my personal account"),
    ("pupil", "A message to a pupil"),
    ("parent", "A message to a parent or carer"),
    ("staff_group", "A staff group or chat"),
    ("colleague", "A message to a colleague"),
]
MAX_TEXT = 5000


class CheckForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label="Your draft post or message",
        help_text="Nothing you type here is saved.",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "true", "autocomplete": "off"}),
        error_messages={
            "required": "Enter the post or message you want to check",
            "max_length": f"The draft must be {MAX_TEXT} characters or fewer",
        },
        strip=False,
    )
    audience = forms.ChoiceField(
        label="Who will see it?",
        choices=AUDIENCE_CHOICES,
        initial="public",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who will see it"},
    )
    posted_at = forms.DateTimeField(
        label="When will you post it? (optional)",
        help_text="Leave empty for now. Working hours matter (clause 4.1(i)).",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "govuk-input"}),
        error_messages={"invalid": "Enter a date and time, for example 2026-03-05 19:30"},
    )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError("Enter the post or message you want to check")
        return text

    def when(self) -> dt.datetime | None:
        value: dt.datetime | None = self.cleaned_data.get("posted_at")
        return None if value is None else value.replace(tzinfo=None)


WHO_CHOICES = [
    ("pupil", "A pupil at the school"),
    ("former_pupil", "A former pupil"),
    ("parent", "A parent or carer of a pupil"),
]
RELATION_CHOICES = [
    ("relative", "They are a relative of mine"),
    ("friend_before", "We were friends before they became a parent, carer or pupil here"),
    ("none", "Neither"),
]
AGE_CHOICES = [
    ("under_18", "Under 18"),
    ("adult", "18 or over"),
    ("unknown", "I do not know"),
]


class ConnectionForm(GovukFormMixin, forms.Form):
    who = forms.ChoiceField(
        label="Who sent you the request?",
        choices=WHO_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who sent you the request"},
    )
    relationship = forms.ChoiceField(
        label="How do you know them?",
        choices=RELATION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you know them"},
    )
    age = forms.ChoiceField(
        label="If they are a former pupil, how old are they?",
        choices=AGE_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("who") == "former_pupil" and not data.get("age"):
            self.add_error("age", "Select how old the former pupil is")
        return data


class AliasesForm(GovukFormMixin, forms.Form):
    aliases = forms.CharField(
        label="Other names for the school",
        help_text="One a line: short names, initials or nicknames people use in posts.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )

    def lines(self) -> list[str]:
        return str(self.cleaned_data.get("aliases", "")).splitlines()
