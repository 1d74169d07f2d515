"""Forms for pupil-contact reports and concerns; the report is one page for a phone."""

from __future__ import annotations

from typing import Any

from django import forms

from boundaries.concerns.attachments import CheckedFile, check_file
from boundaries.concerns.errors import ConcernError
from boundaries.concerns.models import ConcernStatus, Outcome, StepKind
from boundaries.core.forms import GovukFormMixin
from boundaries.security.malware import ScannedUploadsMixin

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ScreenshotsField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[CheckedFile]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        checked = []
        for upload in files:
            upload.seek(0)
            try:
                checked.append(check_file(upload.name, upload.read()))
            except ConcernError as error:
                raise forms.ValidationError(str(error)) from None
        return checked


class ContactReportForm(GovukFormMixin, ScannedUploadsMixin, forms.Form):
    pupil = forms.ChoiceField(
        label="Which pupil?",
        required=False,
        help_text="Choose from the school's roll, or leave as not known.",
    )
    pupil_description = forms.CharField(
        label="If you do not know who, how did they appear?",
        required=False,
        max_length=200,
        help_text="For example, the name or handle on the message.",
    )
    platform = forms.CharField(
        label="Where did they contact you?",
        max_length=100,
        help_text="For example, Instagram, WhatsApp, a text message or your personal email.",
        error_messages={"required": "Say where the pupil contacted you"},
    )
    contacted_at = forms.DateTimeField(
        label="When?",
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "Enter when the pupil contacted you",
            "invalid": "Enter the date and time, like 24/11/2026 19:30",
        },
    )
    what_was_said = forms.CharField(
        label="What did they say or send?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what the pupil said or sent"},
    )
    screenshots = ScreenshotsField(
        label="Screenshots (optional)",
        required=False,
        help_text="PNG or JPEG images, or a PDF, up to 10 MB each.",
    )
    did_not_respond = forms.BooleanField(
        label="I did not respond to the pupil",
        error_messages={"required": "Confirm that you did not respond to the pupil"},
    )

    def __init__(self, *args: Any, pupils: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pupil"].choices = [("", "Not known"), *pupils]  # type: ignore[attr-defined]
        self._errors = None  # the mixin validated before the choices were set
        self.fields["screenshots"].widget.attrs["accept"] = ".png,.jpg,.jpeg,.pdf"


class StepForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Step", choices=StepKind.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="Note (optional)", required=False, max_length=500)


class CloseForm(GovukFormMixin, forms.Form):
    note = forms.CharField(
        label="Closing note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ConcernForm(GovukFormMixin, forms.Form):
    subject = forms.ChoiceField(
        label="Which member of staff is it about?",
        error_messages={"required": "Choose the member of staff"},
    )
    summary = forms.CharField(
        label="In a sentence, what is the concern?",
        max_length=200,
        error_messages={"required": "Give a one-sentence summary"},
    )
    detail = forms.CharField(
        label="What happened?",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you saw or were told, where and when. Facts, not opinions.",
        error_messages={"required": "Say what happened"},
    )
    occurred_on = forms.DateField(
        label="When did it happen? (optional)",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"],
        help_text="For example, 27/11/2025",
        error_messages={"invalid": "The date must be a real date, like 27/11/2025"},
    )
    clauses = forms.MultipleChoiceField(
        label="Which parts of the policy does it touch? (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    complainant = forms.CharField(
        label="Who made the complaint?",
        required=False,
        max_length=200,
        help_text="For a parent's complaint logged by the office.",
    )

    def __init__(
        self,
        *args: Any,
        staff: list[tuple[str, str]],
        clauses: list[tuple[str, str]],
        complaint: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [("", "Choose"), *staff]  # type: ignore[attr-defined]
        self.fields["clauses"].choices = clauses  # type: ignore[attr-defined]
        if not complaint:
            del self.fields["complainant"]
        self._errors = None  # the mixin validated before the choices were set


class TransitionForm(GovukFormMixin, forms.Form):
    to = forms.ChoiceField(label="Move to", widget=forms.RadioSelect)
    outcome = forms.ChoiceField(
        label="Outcome (when closing)",
        required=False,
        choices=[("", "Choose"), *Outcome.choices],
    )
    lado_reference = forms.CharField(
        label="LADO reference (when referring)", required=False, max_length=100
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, moves: list[ConcernStatus], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(m.value, m.label) for m in moves]  # type: ignore[attr-defined]
        self._errors = None  # the mixin validated before the choices were set


class NoteForm(GovukFormMixin, forms.Form):
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 4}))


class AttachForm(GovukFormMixin, ScannedUploadsMixin, forms.Form):
    file = forms.FileField(label="File", help_text="A PNG or JPEG image, or a PDF, up to 10 MB.")

    def clean_file(self) -> CheckedFile:
        upload = self.cleaned_data["file"]
        upload.seek(0)
        try:
            return check_file(upload.name, upload.read())
        except ConcernError as error:
            raise forms.ValidationError(str(error)) from None


class ClausesForm(GovukFormMixin, forms.Form):
    clauses = forms.MultipleChoiceField(
        label="Linked clauses", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, clauses: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clauses"].choices = clauses  # type: ignore[attr-defined]
        self._errors = None  # the mixin validated before the choices were set
