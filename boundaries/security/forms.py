"""Forms for the second factor and for confirming who you are before a sensitive change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from boundaries.core.forms import GovukFormMixin, SignInForm
from boundaries.security import throttle
from boundaries.security.keys import keyed_hash
from boundaries.security.models import FailureCounter


class CodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label="Code",
        help_text="The 6-digit code your authenticator app shows, or one of your recovery codes",
        max_length=20,
        error_messages={"required": "Enter the code from your authenticator app"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attrs = self.fields["code"].widget.attrs
        attrs.update(
            {
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "class": attrs.get("class", "govuk-input") + " govuk-input--width-10",
            }
        )


class EnrolForm(CodeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = "The 6-digit code your authenticator app shows now"
        self.fields["code"].widget.attrs["inputmode"] = "numeric"


class ConfirmForm(GovukFormMixin, forms.Form):
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
        error_messages={"required": "Enter your password"},
    )
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=20,
        required=False,
    )

    def __init__(self, *args: Any, needs_code: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if needs_code:
            self.fields["code"].required = True
            self.fields["code"].error_messages["required"] = (
                "Enter the code from your authenticator app"
            )
            self.fields["code"].widget.attrs.update(
                {"autocomplete": "one-time-code", "inputmode": "numeric"}
            )
        else:
            del self.fields["code"]
        self._errors = None  # the GOV.UK mixin validated early; validate with these fields


class ProviderEmailForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(
        label="Your work email address",
        help_text="We use it to find your school's or council's sign-in service",
        error_messages={
            "required": "Enter your work email address",
            "invalid": "Enter an email address like name@school.example",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})


class ThrottledSignInForm(SignInForm):
    """The sign-in form behind the lockout counters (`boundaries.security.throttle`).

    A locked name or address gets one message whether or not the account exists, and a
    password is hashed either way so the answer takes about as long.
    """

    error_messages = {
        **SignInForm.error_messages,
        "locked": "Too many failed attempts to sign in. Wait 15 minutes, then try again.",
    }

    def clean(self) -> dict[str, Any]:
        scope = FailureCounter.Scope
        now = timezone.now()
        account, user = throttle.account_key(self.cleaned_data.get("username") or "")
        address = keyed_hash("address", throttle.client_address(self.request))
        if throttle.is_locked(scope.ACCOUNT, account, now) or throttle.is_locked(
            scope.ADDRESS, address, now
        ):
            make_password(self.cleaned_data.get("password") or "")
            raise ValidationError(self.error_messages["locked"], code="locked")
        try:
            return super().clean()
        except ValidationError:
            throttle.record_failure(scope.ACCOUNT, account, now, user=user)
            throttle.record_failure(scope.ADDRESS, address, now)
            raise
