"""Sign-in protection: failure counters, live sessions, second factors and recovery codes.

Counters live in the database rather than a process's memory so that a lockout holds
across every application server of an authority's deployment. Secrets (an authenticator's
seed, a provider's client secret) are stored sealed (`security.encryption`): the columns
hold ciphertext, and the `secret` and `client_secret` properties open and seal them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from boundaries.security import encryption


class FailureCounter(models.Model):
    """Failed sign-ins for one typed account name or one client address.

    `key` is a keyed hash of the name or address: the table never holds what was typed,
    which could be a password put in the wrong box.
    """

    class Scope(models.TextChoices):
        ACCOUNT = "account", "Account"
        ADDRESS = "address", "Client address"
        SECOND_FACTOR = "second_factor", "Second factor"
        DEVICE = "device", "Browser with a device cookie"

    scope = models.CharField(max_length=20, choices=Scope.choices)
    key = models.CharField(max_length=64)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="failure_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key[:8]}…: {self.failures}"

    def is_locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


class LiveSession(models.Model):
    """A signed-in session of a person, so it can be ended on the server when they are
    disabled or lose a role, and so they can see where they are signed in and end it.

    `device` is a short name for the browser and system ("Firefox on Windows",
    `security.browsers`), empty when not known; never the User-Agent header itself."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField()
    device = models.CharField(max_length=60, blank=True, default="")

    def __str__(self) -> str:
        return f"session of {self.user_id} since {self.signed_in_at:%Y-%m-%d %H:%M}"


class TotpDevice(models.Model):
    """A person's authenticator app (RFC 6238). Confirmed once they have typed a code from it.

    `last_step` is the last time step accepted, so a code cannot be used twice. The seed is
    sealed to this person (`sealed_secret`); set `user` before `secret`. `must_set_up`: an
    administrator cleared the person's lost factor, so at their next sign-in they set up
    this one before anything else, whatever their role.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    sealed_secret = models.TextField()
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)
    must_set_up = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"authenticator of {self.user_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def secret(self) -> str:
        return encryption.unseal(self.sealed_secret, context=encryption.totp_context(self.user_id))

    @secret.setter
    def secret(self, value: str) -> None:
        self.sealed_secret = encryption.seal(value, context=encryption.totp_context(self.user_id))


class RecoveryCode(models.Model):
    """A single-use code for when the phone is lost; only its hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery code of {self.user_id}"


class SignInProvider(models.Model):
    """An organisation's OpenID Connect identity provider (Microsoft Entra ID or Google
    Workspace). Set up on the organisation's "Sign-in with Microsoft or Google" page by its
    headteacher or the authority admin; people sign in with it only into accounts that
    already exist, matched by a verified email address in an allowed domain at the first
    sign-in and by the person's `sub` there afterwards (`ProviderSubject`)."""

    class Kind(models.TextChoices):
        ENTRA = "entra", "Microsoft"
        GOOGLE = "google", "Google"
        OTHER = "other", "OpenID Connect"

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="sign_in_providers"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    issuer = models.URLField(
        help_text="For example https://login.microsoftonline.com/<tenant>/v2.0"
    )
    client_id = models.CharField(max_length=200)
    sealed_client_secret = models.TextField()
    email_domains = models.JSONField(default=list)
    trusts_provider_mfa = models.BooleanField(
        default=False,
        help_text="Count the provider's own multi-factor sign-in (amr claim 'mfa') as ours",
    )
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "issuer"], name="provider_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} sign-in for {self.organisation_id}"

    @property
    def client_secret(self) -> str:
        context = encryption.provider_context(self.organisation_id)
        return encryption.unseal(self.sealed_client_secret, context=context)

    @client_secret.setter
    def client_secret(self, value: str) -> None:
        context = encryption.provider_context(self.organisation_id)
        self.sealed_client_secret = encryption.seal(value, context=context)

    def allows_domain(self, email: str) -> bool:
        domain = email.rsplit("@", 1)[-1].lower()
        return domain in {d.lower() for d in self.email_domains}


class RateCount(models.Model):
    """Requests of one kind (API calls, post checks, uploads, exports) by one person or API
    token in one fixed window, counted in the database so a limit holds across servers.

    `key` is a keyed hash of who made them, so the table names nobody; a row is deleted
    once its window has ended (`security.rate_limits`), so the table holds about one row
    per person or token active in the current window."""

    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=64)
    window_end = models.BigIntegerField(help_text="Unix time the window ends")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "window_end"], name="rate_count_unique")
        ]
        indexes = [models.Index(fields=["window_end"], name="rate_count_window_end")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key[:8]}…: {self.count} until {self.window_end}"


class ProviderSubject(models.Model):
    """Who a person is at a sign-in service: the ID token's `sub` there (OpenID Connect
    promises it is never given to anyone else), recorded at their first sign-in through it.

    Email finds the account only for that first link; afterwards the account is the one
    linked to the `sub`, and a token naming a linked account's email with another `sub` (a
    leaver's mailbox given to a newcomer) is refused until an administrator clears the link.
    The link belongs to one provider row, whose issuer and client id `sub` is scoped to
    (Entra ID gives each app registration its own), so changing either clears them."""

    provider = models.ForeignKey(SignInProvider, on_delete=models.CASCADE, related_name="subjects")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_subjects"
    )
    subject = models.CharField(max_length=255)
    linked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="provider_subject_unique"),
            models.UniqueConstraint(fields=["provider", "user"], name="provider_subject_one_each"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} at provider {self.provider_id}"
