"""Writes to a person's sign-in factors, sessions and account state, each with its audit
event.

Changing or removing a factor (a new password, an authenticator set up, replaced or
turned off, new recovery codes) ends the person's other sessions (ASVS 5.0 V7.4.3): whoever
may have learnt the old factor loses what it gave them. The web pages pass the session
they are using as `keep_session`; called without one (the CLI, a test), every session ends.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from boundaries.core import audit
from boundaries.core.models import Organisation, User
from boundaries.security import encryption, oidc, sessions, totp
from boundaries.security.models import (
    LiveSession,
    ProviderSubject,
    RecoveryCode,
    SignInProvider,
    TotpDevice,
)


class SecondFactorError(Exception):
    """A change to a second factor that is not allowed; the message says why."""


def start_enrolment(user: User, *, now: dt.datetime | None = None) -> TotpDevice:
    """A fresh, unconfirmed authenticator secret. Refused while one is confirmed: changing
    it goes through removal, which needs a recent re-authentication."""
    now = now or timezone.now()
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user).first()
        if device is not None and device.is_confirmed:
            raise SecondFactorError("An authenticator app is already set up")
        if device is None:
            device = _new_device(user, now)
    return device


def _new_device(user: User, now: dt.datetime) -> TotpDevice:
    device = TotpDevice(user=user, created_at=now)
    device.secret = totp.new_secret()  # sealed to this person (security.encryption)
    device.save()
    return device


def confirm_enrolment(
    user: User, code: str, *, keep_session: str | None = None, now: dt.datetime | None = None
) -> list[str]:
    """Confirm the app with a code from it; answers the new recovery codes (shown once)."""
    now = now or timezone.now()
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user).first()
        if device is None or device.is_confirmed:
            raise SecondFactorError("Start setting up an authenticator app first")
        if not totp.accept_code(device, code, now):
            raise SecondFactorError("Enter the 6-digit code your authenticator app shows now")
        device.refresh_from_db()
        device.confirmed_at, device.must_set_up = now, False
        device.save(update_fields=["confirmed_at", "must_set_up"])
        codes = _replace_recovery_codes(user, now)
        _factor_changed("security.second_factor_enrolled", user, user, keep_session, now)
    return codes


def _replace_recovery_codes(user: User, now: dt.datetime) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = totp.new_recovery_codes()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=totp.recovery_hash(c), created_at=now) for c in codes
    )
    return codes


def _factor_changed(
    action: str, user: User, actor: User, keep_session: str | None, now: dt.datetime
) -> None:
    """End the person's other sessions and record the change, with how many ended."""
    ended = sessions.end_sessions_of(user.pk, keep=keep_session)
    after = {"other_sessions_ended": ended}
    audit.record(action, actor=actor, obj=user, after=after, now=now)


def regenerate_recovery_codes(
    user: User, *, keep_session: str | None = None, now: dt.datetime | None = None
) -> list[str]:
    now = now or timezone.now()
    with transaction.atomic():
        if totp.confirmed_device(user) is None:
            raise SecondFactorError("Set up an authenticator app first")
        codes = _replace_recovery_codes(user, now)
        _factor_changed("security.recovery_codes_replaced", user, user, keep_session, now)
    return codes


def remove_second_factor(
    user: User,
    *,
    actor: User,
    keep_session: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Turn the second factor off; refused for roles that must have one."""
    now = now or timezone.now()
    if totp.required_for(user):
        raise SecondFactorError(
            "Your role needs a second factor, so it cannot be turned off. "
            "You can set up a new authenticator app instead."
        )
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        _factor_changed("security.second_factor_removed", user, actor, keep_session, now)


def reset_authenticator(
    user: User, *, keep_session: str | None = None, now: dt.datetime | None = None
) -> TotpDevice:
    """Start again with a new app (a lost or new phone). Roles that need a second factor
    are sent straight to setting up the new one, and at every sign-in until they do."""
    now = now or timezone.now()
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        device = _new_device(user, now)
        _factor_changed("security.second_factor_reset", user, user, keep_session, now)
    return device


IDENTITY_CHECK_MIN = 10


def clear_lost_second_factor(
    person: User,
    *,
    actor: User,
    organisation: Organisation,
    identity_check: str,
    now: dt.datetime | None = None,
) -> int:
    """A person has lost both their authenticator and their recovery codes (ASVS 5.0 V6.4.4).
    Their headteacher or the authority admin, having checked who they are as carefully as
    when the account was made, clears the lost factor: `identity_check` says how (for example
    "seen in person with staff ID") and goes into the audit event. Every session of the
    person ends, and at their next sign-in they must set up a new app before anything else,
    whatever their role (`TotpDevice.must_set_up`). The caller has checked that the actor may
    (`sessions.end` in the person's organisation). Answers how many sessions ended."""
    check = " ".join(identity_check.split())
    if len(check) < IDENTITY_CHECK_MIN:
        raise SecondFactorError(
            "Say how you checked who they are, for example: seen in person with their staff ID"
        )
    if actor.pk == person.pk:
        raise SecondFactorError("Someone else must check who you are and do this for you")
    now = now or timezone.now()
    with transaction.atomic():
        TotpDevice.objects.filter(user=person).delete()
        RecoveryCode.objects.filter(user=person).delete()
        device = _new_device(person, now)
        device.must_set_up = True
        device.save(update_fields=["must_set_up"])
        ended = sessions.end_sessions_of(person.pk)
        audit.record(
            "security.lost_second_factor_cleared",
            actor=actor,
            organisation=organisation,
            obj=person,
            after={"identity_check": check, "sessions_ended": ended},
            now=now,
        )
    return ended


def change_password(
    user: User, new_password: str, *, keep_session: str | None, now: dt.datetime | None = None
) -> int:
    """Set the password the person chose (the form has checked their current one and the
    password rules). Their other sessions end; answers how many."""
    now = now or timezone.now()
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        ended = sessions.end_sessions_of(user.pk, keep=keep_session)
        after = {"other_sessions_ended": ended}
        audit.record("security.password_changed", actor=user, obj=user, after=after, now=now)
    return ended


def end_other_sessions(
    user: User, *, keep_session: str | None, now: dt.datetime | None = None
) -> int:
    """The person signs themselves out everywhere but here; answers how many ended."""
    with transaction.atomic():
        ended = sessions.end_sessions_of(user.pk, keep=keep_session)
        after = {"sessions_ended": ended}
        audit.record("security.other_sessions_ended", actor=user, obj=user, after=after, now=now)
    return ended


def end_one_session(user: User, live_session_id: int, *, now: dt.datetime | None = None) -> bool:
    """The person signs out one of their own sessions elsewhere (not found, or not theirs:
    False, and nothing recorded)."""
    with transaction.atomic():
        live = LiveSession.objects.select_for_update().filter(user=user, pk=live_session_id).first()
        if live is None:
            return False
        Session.objects.filter(session_key=live.session_key).delete()
        live.delete()
        after = {"signed_in_at": live.signed_in_at.isoformat(), "device": live.device}
        audit.record("security.session_ended", actor=user, obj=user, after=after, now=now)
    return True


def end_sessions_for(
    person: User, *, actor: User, organisation: Organisation, now: dt.datetime | None = None
) -> int:
    """An administrator signs a person out everywhere (a lost laptop, a suspected break-in),
    keeping the account; the caller has checked they may (`sessions.end` in the person's
    organisation). Answers how many sessions ended."""
    with transaction.atomic():
        ended = sessions.end_sessions_of(person.pk)
        audit.record(
            "security.sessions_ended",
            actor=actor,
            organisation=organisation,
            obj=person,
            after={"sessions_ended": ended},
            now=now,
        )
    return ended


def disable_account(user: User, *, actor: User | None, now: dt.datetime | None = None) -> None:
    """Stop a person signing in; their sessions end on the server at once."""
    now = now or timezone.now()
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit.record("security.account_disabled", actor=actor, obj=user, now=now)


def record_provider_sign_in(
    user: User,
    *,
    provider: SignInProvider,
    subject: str,
    first_link: bool,
    now: dt.datetime | None = None,
) -> None:
    """A sign-in through an organisation's identity provider, so it can be traced; at the
    person's first, their `sub` there is linked to the account (`ProviderSubject`), and from
    then on it, not their email, finds the account."""
    now = now or timezone.now()
    with transaction.atomic():
        linked = None
        if first_link:  # two first sign-ins at once: the second finds the first one's link
            linked, first_link = ProviderSubject.objects.get_or_create(
                provider=provider, user=user, defaults={"subject": subject, "linked_at": now}
            )
        if linked is not None and linked.subject != subject:
            raise oidc.SubjectMismatch(
                oidc.MAILBOX_REASSIGNED.format(email=user.email), user, subject
            )
        if first_link:
            audit.record(
                "security.provider_linked",
                actor=user,
                organisation=provider.organisation,
                obj=user,
                after={"provider": provider.pk, "subject": subject},
                now=now,
            )
        audit.record(
            "security.signed_in_with_provider",
            actor=user,
            obj=user,
            after={"provider": provider.pk},
            now=now,
        )


def record_link_refused(
    user: User, *, provider: SignInProvider, subject: str, now: dt.datetime | None = None
) -> None:
    """A token named a linked account's email with another `sub` and was refused: the
    administrator sees who tried to reach whose account."""
    with transaction.atomic():
        audit.record(
            "security.provider_link_refused",
            actor=None,
            organisation=provider.organisation,
            obj=user,
            after={"provider": provider.pk, "subject": subject},
            now=now,
        )


def clear_provider_link(
    link: ProviderSubject, *, actor: User, now: dt.datetime | None = None
) -> None:
    """Forget who a person is at a sign-in service, so their next sign-in links again by
    email: when the service gave the same person a new `sub` (an account recreated there).
    Never for a mailbox given to someone new: they need their own account."""
    with transaction.atomic():
        audit.record(
            "security.provider_link_cleared",
            actor=actor,
            organisation=link.provider.organisation,
            obj=link.user,
            before={"provider": link.provider_id, "subject": link.subject},
            now=now,
        )
        link.delete()


def end_all_sessions(*, now: dt.datetime | None = None) -> int:
    """Sign everyone out, on every server (a suspected break-in, a leaked database copy);
    accounts stay as they are. From the command line only: the deployment's operators, not
    any one school, decide this. Answers how many sessions ended."""
    with transaction.atomic():
        ended = LiveSession.objects.count()
        Session.objects.all().delete()
        LiveSession.objects.all().delete()
        audit.record("security.all_sessions_ended", actor=None, after={"sessions": ended}, now=now)
    return ended


@dataclass(frozen=True)
class ResealReport:
    key_id: str
    resealed: int
    already_current: int


def reseal_secrets(*, dry_run: bool = False, now: dt.datetime | None = None) -> ResealReport:
    """Seal every stored secret again under the current FIELD_ENCRYPTION_KEY, after a key
    rotation, so the old key can be retired. All or nothing: one secret that no configured
    key opens stops it (EncryptionKeyError) with nothing changed."""
    now = now or timezone.now()
    resealed = current = 0
    with transaction.atomic():
        sealed_rows: list[tuple[TotpDevice | SignInProvider, str, str]] = [
            (device, "sealed_secret", encryption.totp_context(device.user_id))
            for device in TotpDevice.objects.select_for_update().order_by("pk")
        ] + [
            (p, "sealed_client_secret", encryption.provider_context(p.organisation_id))
            for p in SignInProvider.objects.select_for_update().order_by("pk")
        ]
        for row, column, context in sealed_rows:
            again = encryption.reseal(getattr(row, column), context=context)
            if again is None:
                current += 1
                continue
            resealed += 1
            if not dry_run:
                setattr(row, column, again)
                row.save(update_fields=[column])
        report = ResealReport(encryption.current_key().id, resealed, current)
        if not dry_run and resealed:
            audit.record(
                "security.secrets_resealed",
                actor=None,
                after={"key": report.key_id, "resealed": resealed},
                now=now,
            )
    return report


class ProviderError(Exception):
    """A sign-in provider setting that cannot be saved; `field` names the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ProviderSettings:
    """Everything about a provider except its client secret, which is never shown back
    and never written to the audit log."""

    kind: str
    issuer: str
    client_id: str
    email_domains: tuple[str, ...]
    enabled: bool
    trusts_provider_mfa: bool

    @classmethod
    def of(cls, provider: SignInProvider) -> ProviderSettings:
        return cls(
            provider.kind,
            provider.issuer,
            provider.client_id,
            tuple(provider.email_domains),
            provider.enabled,
            provider.trusts_provider_mfa,
        )

    def for_audit(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "issuer": self.issuer,
            "client_id": self.client_id,
            "email_domains": list(self.email_domains),
            "enabled": self.enabled,
            "trusts_provider_mfa": self.trusts_provider_mfa,
        }


def _refuse_clashes(
    organisation: Organisation, wanted: ProviderSettings, provider_pk: int | None
) -> None:
    """One provider per issuer in an organisation, and each email domain vouched for by one
    provider anywhere: the domain is how sign-in finds the provider, so a second claim
    would send another organisation's staff to a service they do not use."""
    others = SignInProvider.objects.select_for_update()
    if provider_pk is not None:
        others = others.exclude(pk=provider_pk)
    if others.filter(organisation=organisation, issuer=wanted.issuer).exists():
        raise ProviderError("This organisation already has a sign-in service with this issuer")
    taken = {d.lower() for p in others for d in p.email_domains} & set(wanted.email_domains)
    if taken:
        raise ProviderError(
            f"{', '.join(sorted(taken))} already has a sign-in service, here or in another "
            "organisation: ask the authority to change that one",
            field="email_domains",
        )


def add_provider(
    organisation: Organisation,
    wanted: ProviderSettings,
    client_secret: str,
    *,
    actor: User,
    now: dt.datetime | None = None,
) -> SignInProvider:
    with transaction.atomic():
        _refuse_clashes(organisation, wanted, None)
        provider = SignInProvider(
            organisation=organisation,
            kind=wanted.kind,
            issuer=wanted.issuer,
            client_id=wanted.client_id,
            email_domains=list(wanted.email_domains),
            enabled=wanted.enabled,
            trusts_provider_mfa=wanted.trusts_provider_mfa,
        )
        provider.client_secret = client_secret
        provider.save()
        audit.record(
            "security.sign_in_provider_added",
            actor=actor,
            organisation=organisation,
            obj=provider,
            after=wanted.for_audit(),
            now=now,
        )
    return provider


def change_provider(
    provider: SignInProvider,
    wanted: ProviderSettings,
    new_client_secret: str = "",
    *,
    actor: User,
    now: dt.datetime | None = None,
) -> SignInProvider:
    """Change a provider's settings; an empty `new_client_secret` keeps the one stored."""
    with transaction.atomic():
        locked = SignInProvider.objects.select_for_update().get(pk=provider.pk)
        _refuse_clashes(locked.organisation, wanted, locked.pk)
        before = ProviderSettings.of(locked)
        locked.kind, locked.issuer, locked.client_id = wanted.kind, wanted.issuer, wanted.client_id
        locked.email_domains = list(wanted.email_domains)
        locked.enabled, locked.trusts_provider_mfa = wanted.enabled, wanted.trusts_provider_mfa
        if new_client_secret:
            locked.client_secret = new_client_secret
        locked.save()
        after = wanted.for_audit()
        if (before.issuer, before.client_id) != (wanted.issuer, wanted.client_id):
            after["links_cleared"] = locked.subjects.all().delete()[0]  # `sub` is scoped to them
        if new_client_secret:
            after["client_secret"] = "replaced"  # noqa: S105 - says it changed, not what to
        if before != wanted or new_client_secret:
            audit.record(
                "security.sign_in_provider_changed",
                actor=actor,
                organisation=locked.organisation,
                obj=locked,
                before=before.for_audit(),
                after=after,
                now=now,
            )
    return locked


def delete_provider(
    provider: SignInProvider, *, actor: User, now: dt.datetime | None = None
) -> None:
    """Delete a sign-in provider, refused while some people could sign in only with it
    (`oidc.signs_in_only_here`): they have no password to fall back on."""
    with transaction.atomic():
        locked = SignInProvider.objects.select_for_update().get(pk=provider.pk)
        stranded = len(oidc.signs_in_only_here(locked))
        if stranded:
            people = "person has" if stranded == 1 else "people have"
            raise ProviderError(
                f"{stranded} {people} no password and can sign in only with this service: "
                "it cannot be deleted until they can sign in another way"
            )
        audit.record(
            "security.sign_in_provider_deleted",
            actor=actor,
            organisation=locked.organisation,
            obj=locked,
            before=ProviderSettings.of(locked).for_audit(),
            now=now,
        )
        locked.delete()
