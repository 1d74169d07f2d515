"""Forms for reading, confirming, settings, induction items and questions."""

from __future__ import annotations

from typing import Any

from django import forms

from boundaries.acknowledgements.models import Question, Scope
from boundaries.core.forms import GovukFormMixin


class ConfirmForm(GovukFormMixin, forms.Form):
    """The comprehension questions, if any, and the confirmation."""

    confirm = forms.BooleanField(
        label="I have read this version of the policy and I understand what it asks of me",
        error_messages={"required": "Confirm that you have read the policy"},
    )

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            self.fields[f"q{q.pk}"] = forms.TypedChoiceField(
                label=q.text,
                choices=list(enumerate(q.choices)),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose an answer"},
            )
        self._errors = None  # the mixin validated before these fields existed

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q{q.pk}"] for q in self.questions]

    def answers(self) -> dict[int, int]:
        return {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.questions}


class SettingsForm(GovukFormMixin, forms.Form):
    scope = forms.ChoiceField(
        label="Who must read the policies", choices=Scope.choices, widget=forms.RadioSelect
    )
    due_days = forms.IntegerField(label="Days to read a new version", min_value=1, max_value=365)
    reminder_every_days = forms.IntegerField(
        label="Days between reminders", min_value=1, max_value=90
    )
    pass_mark = forms.IntegerField(
        label="Pass mark for the questions (percent)", min_value=0, max_value=100
    )


class InductionItemForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="New induction item", max_length=200)


class QuestionForm(GovukFormMixin, forms.Form):
    text = forms.CharField(label="Question", max_length=300)
    choices = forms.CharField(
        label="Answers",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One answer on each line.",
    )
    correct = forms.IntegerField(
        label="Which answer is right", min_value=1, help_text="Its line number, from 1."
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lines = [c.strip() for c in str(data.get("choices", "")).splitlines() if c.strip()]
        if len(lines) < 2:
            self.add_error("choices", "Enter at least two answers, one on each line")
        elif data.get("correct") and data["correct"] > len(lines):
            self.add_error("correct", f"Enter a number from 1 to {len(lines)}")
        data["choice_list"] = lines
        return data


class PrivacyCheckForm(GovukFormMixin, forms.Form):
    platforms = forms.MultipleChoiceField(
        label="Which platforms did you check?",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    none = forms.BooleanField(label="I do not use any of these", required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["platforms"].choices = choices  # type: ignore[attr-defined]
        self._errors = None  # the mixin validated before the choices were set

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("platforms") and not data.get("none"):
            raise forms.ValidationError(
                "Tick each platform you checked, or that you use none of them"
            )
        return data
