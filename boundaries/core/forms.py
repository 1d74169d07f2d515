"""Django's auth forms dressed in GOV.UK Frontend classes, and the fields every app's
forms share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

WIDGET_CLASSES = {
    forms.TextInput: "govuk-input",
    forms.EmailInput: "govuk-input",
    forms.PasswordInput: "govuk-input govuk-password-input__input",
    forms.DateInput: "govuk-input govuk-input--width-10",
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.URLInput: "govuk-input",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.FileInput: "govuk-file-upload",
}

# Dates as people type them: 27/11/2025, 27 11 2025, 27.11.2025, or 2025-11-27.
DATE_FORMATS = ["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y", "%d.%m.%Y"]


def date_field(
    label: str,
    *,
    required: bool = True,
    help_text: str = "",
    missing: str = "",
    invalid: str = "",
) -> forms.DateField:
    """A date field with GOV.UK error messages: `missing` (by default "Enter <label>") when
    a required date is empty, `invalid` (by default "<label> must be a real date, like
    27/11/2025") when it is not a date."""
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text or "For example, 27/11/2025",
        input_formats=DATE_FORMATS,
        error_messages={
            "required": missing or f"Enter {label[0].lower()}{label[1:]}",
            "invalid": invalid or f"{label} must be a real date, like 27/11/2025",
        },
    )


class GovukFormMixin:
    """Adds GOV.UK classes and aria-describedby for hints and errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            css = WIDGET_CLASSES.get(type(field.widget))
            if css:
                field.widget.attrs["class"] = css
            described = []
            if field.help_text:
                described.append(f"id_{name}-hint")
            if self.is_bound and name in self.errors:  # type: ignore[attr-defined]
                described.append(f"id_{name}-error")
                if css:
                    field.widget.attrs["class"] = f"{css} {css.split()[0]}--error"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            field = self.fields.get(name)  # type: ignore[attr-defined]
            if field is None:
                continue
            css = WIDGET_CLASSES.get(type(field.widget))
            if css and "--error" not in field.widget.attrs.get("class", ""):
                field.widget.attrs["class"] = f"{css} {css.split()[0]}--error"
            ids = field.widget.attrs.get("aria-describedby", "")
            if f"id_{name}-error" not in ids:
                field.widget.attrs["aria-describedby"] = f"{ids} id_{name}-error".strip()


class SignInForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username or email address and password",
        "inactive": "This account is disabled",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username or email address"
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["username"].widget.attrs["spellcheck"] = "false"


class ResetForm(GovukFormMixin, PasswordResetForm):
    pass


class NewPasswordForm(GovukFormMixin, SetPasswordForm):
    pass
