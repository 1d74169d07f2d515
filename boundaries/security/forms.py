"""Forms for the second factor, for confirming who you are before a sensitive change, and
for an organisation's sign-in provider."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from boundaries.core.forms import GovukFormMixin, SignInForm
from boundaries.security import device_cookies, issuers, signin_log, throttle
from boundaries.security.keys import keyed_hash
from boundaries.security.models import FailureCounter, SignInProvider


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

    def __init__(
        self, *args: Any, needs_code: bool = False, needs_password: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not needs_password:  # the sign-in service has just confirmed it is them
            del self.fields["password"]
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


class ChangePasswordForm(GovukFormMixin, PasswordChangeForm):
    """Django's password change (the current password, then the new one twice, checked
    against AUTH_PASSWORD_VALIDATORS) in GOV.UK words."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Your current password is not right",
        "password_mismatch": "The new passwords do not match: type the same one twice",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._old_password_right: bool | None = None
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["old_password"].label = "Current password"
        fields["old_password"].error_messages["required"] = "Enter your current password"
        fields["new_password1"].label = "New password"
        fields["new_password1"].help_text = (
            "At least 12 characters, and not a common password, your name, or the name of "
            "your school or council. A few unrelated words together work well."
        )
        fields["new_password1"].error_messages["required"] = "Enter a new password"
        fields["new_password2"].label = "Type the new password again"
        fields["new_password2"].help_text = ""
        fields["new_password2"].error_messages["required"] = "Type the new password again"
        # The GOV.UK mixin set the hints from Django's texts: set them again with ours.
        fields["new_password1"].widget.attrs["aria-describedby"] = "id_new_password1-hint"
        fields["new_password2"].widget.attrs.pop("aria-describedby", None)
        self._errors = None
        self._bound_fields_cache.clear()  # type: ignore[attr-defined]  # Django caches hints

    def clean_old_password(self) -> str:
        """Django's check, made once per form: the GOV.UK mixin validates early, and each
        check hashes the password with Argon2, slow on purpose."""
        typed = str(self.cleaned_data["old_password"])
        if self._old_password_right is None:
            self._old_password_right = self.user.check_password(typed)
        if not self._old_password_right:
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return typed

    @property
    def wrong_current_password(self) -> bool:
        return self._old_password_right is False


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
    password is hashed either way so the answer takes about as long. Failures count against
    the browser's own allowance when it holds a device cookie for the account, otherwise
    against every such browser's (`security.device_cookies`); `counted` says which.
    """

    counted: tuple[str, str] | None = None

    error_messages = {
        **SignInForm.error_messages,
        "locked": "Too many failed attempts to sign in. Wait 15 minutes, then try again.",
    }

    def clean(self) -> dict[str, Any]:
        scope = FailureCounter.Scope
        now = timezone.now()
        account, user = throttle.account_key(self.cleaned_data.get("username") or "")
        self.counted = device_cookies.counter_for(self.request, user) or (scope.ACCOUNT, account)
        client = throttle.client_address(self.request)
        address = keyed_hash("address", client)
        if throttle.is_locked(*self.counted, now) or throttle.is_locked(
            scope.ADDRESS, address, now
        ):
            make_password(self.cleaned_data.get("password") or "")
            signin_log.failed(self.request, user, factor="password", reason="locked")
            raise ValidationError(self.error_messages["locked"], code="locked")
        try:
            return super().clean()
        except ValidationError as error:
            signin_log.failed(self.request, user, factor="password", reason=_reason(error))
            throttle.record_failure(*self.counted, now, user=user, address=client)
            throttle.record_failure(scope.ADDRESS, address, now, address=client)
            raise


def _reason(error: ValidationError) -> str:
    """'wrong' for a wrong name or password, 'inactive' for a disabled account."""
    codes = {getattr(e, "code", None) for e in error.error_list}
    return "inactive" if "inactive" in codes else "wrong"


class IdentityCheckForm(GovukFormMixin, forms.Form):
    identity_check = forms.CharField(
        label="How did you check who they are?",
        help_text="For example: seen in person with their staff ID. This goes in the audit log.",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say how you checked who they are, for example: seen in person with "
            "their staff ID"
        },
    )


DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


class ProviderForm(GovukFormMixin, forms.Form):
    """An organisation's OpenID Connect provider. The client secret is write-only: the
    field is always empty when shown, and left empty it keeps the stored secret."""

    kind = forms.ChoiceField(
        label="Service",
        choices=SignInProvider.Kind.choices,
        error_messages={"required": "Choose the sign-in service"},
    )
    issuer = forms.URLField(
        label="Issuer",
        max_length=200,
        help_text=(
            "Microsoft Entra ID: https://login.microsoftonline.com/<tenant id>/v2.0. "
            "Google Workspace: https://accounts.google.com"
        ),
        error_messages={
            "required": "Enter the issuer address",
            "invalid": "Enter the issuer as an address starting https://",
        },
    )
    client_id = forms.CharField(
        label="Client ID",
        max_length=200,
        help_text="The application (client) ID the service gave Boundaries",
        error_messages={"required": "Enter the client ID"},
    )
    client_secret = forms.CharField(
        label="Client secret",
        max_length=500,
        strip=True,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    email_domains = forms.CharField(
        label="Email domains it vouches for",
        help_text="One per line, for example rivington.lancs.sch.uk",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        error_messages={"required": "Enter at least one email domain"},
    )
    enabled = forms.BooleanField(label="People can sign in with this service", required=False)
    trusts_provider_mfa = forms.BooleanField(
        label="Count the service's own multi-factor sign-in as the second factor",
        required=False,
    )

    def __init__(
        self, *args: Any, has_secret: bool = False, may_trust_mfa: bool = False, **kwargs: Any
    ) -> None:
        self.has_secret = has_secret  # before the GOV.UK mixin validates, in __init__
        super().__init__(*args, **kwargs)
        secret = self.fields["client_secret"]
        if has_secret:
            secret.help_text = "A secret is set. Leave this empty to keep it, or enter a new one."
        else:
            secret.help_text = "The client secret the service gave Boundaries"
        secret.widget.attrs["aria-describedby"] = "id_client_secret-hint"
        if not may_trust_mfa:
            self.fields["trusts_provider_mfa"].disabled = True
        self.fields["trusts_provider_mfa"].widget.attrs["aria-describedby"] = "trusts-mfa-hint"
        for name in ("issuer", "client_id"):
            self.fields[name].widget.attrs["spellcheck"] = "false"
        for name in ("enabled", "trusts_provider_mfa"):
            self.fields[name].widget.attrs["class"] = "govuk-checkboxes__input"
        # The GOV.UK mixin validated early: validate and render again with these fields.
        self._errors = None
        self._bound_fields_cache.clear()  # type: ignore[attr-defined]  # Django caches hints

    def clean_issuer(self) -> str:
        """https only, and never an address on a private, loopback or link-local network
        unless the deployment lists its host (security/issuers.py); checked again at
        every sign-in."""
        issuer = str(self.cleaned_data["issuer"])
        try:
            issuers.check_url(issuer)
        except issuers.UnsafeAddress as error:
            raise ValidationError(str(error)) from None
        return issuer

    def clean_client_secret(self) -> str:
        secret = str(self.cleaned_data.get("client_secret") or "")
        if not secret and not self.has_secret:
            raise ValidationError("Enter the client secret")
        return secret

    def clean_email_domains(self) -> tuple[str, ...]:
        raw = str(self.cleaned_data["email_domains"])
        domains = [d.strip().lower().lstrip("@") for d in re.split(r"[\s,;]+", raw) if d.strip()]
        bad = [d for d in domains if not DOMAIN.match(d)]
        if bad:
            raise ValidationError(
                f"{bad[0]} is not an email domain: enter domains like rivington.lancs.sch.uk"
            )
        if not domains:
            raise ValidationError("Enter at least one email domain")
        return tuple(dict.fromkeys(domains))
