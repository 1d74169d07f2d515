"""Sign-in with a second factor, setting one up, and confirming who you are again."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from boundaries.core.access import acting_user
from boundaries.core.models import User
from boundaries.security import (
    actions,
    device_cookies,
    oidc,
    sessions,
    signin_log,
    throttle,
    totp,
)
from boundaries.security.decorators import require_recent_auth
from boundaries.security.forms import (
    CodeForm,
    ConfirmForm,
    EnrolForm,
    ProviderEmailForm,
    ThrottledSignInForm,
)
from boundaries.security.keys import keyed_hash
from boundaries.security.models import FailureCounter, RecoveryCode, SignInProvider

logger = logging.getLogger(__name__)


def _next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class SignOutView(LogoutView):
    """Django's sign-out (POST only), telling the browser to drop the pages and storage it
    kept for the site (ASVS 5.0 V14.3.1). Not "cookies": browsers clear those for the whole
    registrable domain, so on a shared domain (boundaries.council.example) signing out here
    would sign people out of the council's other sites; Django deletes our session cookie
    itself."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


class SignInView(LoginView):
    """Password first; then the code page, or setting up an app for roles that need one."""

    authentication_form = ThrottledSignInForm
    redirect_authenticated_user = True
    template_name = "security/sign_in.html"

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        throttle.clear(*form.counted)
        signin_log.succeeded(self.request, user, factor="password")
        onward = _after_first_factor(self.request, user, self.get_success_url(), response)
        device_cookies.issue(self.request, onward, user)
        return onward


def _after_first_factor(
    request: HttpRequest, user: User, next_url: str, response: HttpResponse
) -> HttpResponse:
    """Send a person who has just proved their password (or their provider sign-in) on
    to their second factor, or to setting one up when their role needs it."""
    query = "?" + urlencode({"next": next_url})
    if totp.confirmed_device(user) is not None:
        return HttpResponseRedirect(reverse("security:code") + query)
    if totp.must_set_up(user):
        request.session[totp.SET_UP_REQUIRED] = True  # held there by SecondFactorMiddleware
        return HttpResponseRedirect(reverse("security:set_up") + query)
    if totp.required_for(user):
        return HttpResponseRedirect(reverse("security:set_up") + query)
    sessions.stamp(request, sessions.REAUTH_AT)
    return response


def _second_factor_passed(request: HttpRequest) -> None:
    """Rotate the session key at the change of privilege (the sign-in record follows it,
    keeping when and where the person signed in), and stamp the session."""
    now = timezone.now()
    sessions.rotate(request, acting_user(request), now)
    sessions.stamp(request, sessions.SECOND_FACTOR_AT, now)
    sessions.stamp(request, sessions.REAUTH_AT, now)


def _check_code(user: User, code: str) -> str | None:
    """'totp' or 'recovery' when the code is good, None otherwise."""
    now = timezone.now()
    device = totp.confirmed_device(user)
    if device is not None and totp.accept_code(device, code, now):
        return "totp"
    if totp.use_recovery_code(user, code, now):
        return "recovery"
    return None


@login_required
@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if totp.confirmed_device(user) is None:
        return redirect("security:set_up")
    key = keyed_hash("second_factor", str(user.pk))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        if throttle.is_locked(FailureCounter.Scope.SECOND_FACTOR, key, now):
            signin_log.failed(request, user, factor="code", reason="locked")
            logout(request)
            messages.error(request, "Too many wrong codes. Wait, then sign in again.")
            return redirect("login")
        used = _check_code(user, form.cleaned_data["code"])
        if used is None:
            signin_log.failed(request, user, factor="code", reason="wrong")
            counter = throttle.record_failure(
                FailureCounter.Scope.SECOND_FACTOR,
                key,
                now,
                user=user,
                address=throttle.client_address(request),
            )
            if counter.is_locked(now):
                logout(request)
                messages.error(request, "Too many wrong codes. Wait, then sign in again.")
                return redirect("login")
            form.add_error("code", "The code is not right or has been used. Try the next one.")
        else:
            throttle.clear(FailureCounter.Scope.SECOND_FACTOR, key)
            signin_log.succeeded(request, user, factor=used)
            _second_factor_passed(request)
            left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
            if used == "recovery":
                messages.warning(
                    request,
                    f"You used a recovery code. You have {left} left: "
                    "set up your authenticator app again if you have lost your phone.",
                )
            return HttpResponseRedirect(_next(request))
    return render(request, "security/code.html", {"form": form, "next": _next(request)})


@never_cache  # the page holds the secret (as text and in the QR code): never kept by a cache
@login_required
@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    try:
        device = actions.start_enrolment(user)
    except actions.SecondFactorError:
        return redirect("security:two_factor")
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = actions.confirm_enrolment(
                user, form.cleaned_data["code"], keep_session=request.session.session_key
            )
        except actions.SecondFactorError as error:
            form.add_error("code", str(error))
        else:
            request.session.pop(totp.SET_UP_REQUIRED, None)
            _second_factor_passed(request)
            return render(
                request,
                "security/recovery_codes.html",
                {"codes": codes, "next": _next(request), "first_time": True},
            )
    uri = totp.provisioning_uri(device.secret, user.email or user.get_username())
    context = {
        "form": form,
        "secret": totp.grouped(device.secret),
        "uri": uri,
        "qr": totp.qr_svg(uri),
        "required": totp.required_for(user),
        "replacing": bool(request.session.get(totp.SET_UP_REQUIRED)),
        "next": _next(request),
    }
    return render(request, "security/set_up.html", context)


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    device = totp.confirmed_device(user)
    context = {
        "device": device,
        "required": totp.required_for(user),
        "codes_left": RecoveryCode.objects.filter(user=user, used_at__isnull=True).count(),
    }
    return render(request, "security/two_factor.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponse:
    """Prove who you are again before a sensitive change or a bulk export."""
    user = acting_user(request)
    device = totp.confirmed_device(user)
    by_provider = _confirmed_by_provider(request)
    form = ConfirmForm(
        request.POST or None, needs_code=device is not None, needs_password=not by_provider
    )
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        key, _ = throttle.account_key(user.username)
        factor = "password" if device is None else "password_and_code"
        if by_provider:
            factor = "provider_and_code"
        if throttle.is_locked(FailureCounter.Scope.ACCOUNT, key, now):
            signin_log.failed(request, user, factor=factor, reason="locked")
            logout(request)
            return redirect("login")
        good = (by_provider or user.check_password(form.cleaned_data["password"])) and (
            device is None or _check_code(user, form.cleaned_data.get("code", "")) is not None
        )
        if good:
            signin_log.succeeded(request, user, factor=factor)
            sessions.rotate(request, user, now)  # a new key at re-authentication, as at sign-in
            sessions.stamp(request, sessions.REAUTH_AT, now)
            request.session.pop(PROVIDER_CONFIRMED_AT, None)
            return HttpResponseRedirect(_next(request, reverse("security:two_factor")))
        signin_log.failed(request, user, factor=factor, reason="wrong")
        address = throttle.client_address(request)
        throttle.record_failure(FailureCounter.Scope.ACCOUNT, key, now, user=user, address=address)
        form.add_error(None, "The password or code is not right")
    context = {
        "form": form,
        "next": _next(request),
        "minutes": settings.REAUTH_MINUTES,
        "by_provider": by_provider,
        "provider": None if by_provider else oidc.provider_for_email(user.email),
    }
    return render(request, "security/confirm.html", context)


# When the provider confirmed it is you, for a person who then still types their code.
PROVIDER_CONFIRMED_AT = "security.provider_confirmed_at"
PROVIDER_CONFIRMED_FOR = dt.timedelta(minutes=5)


def _confirmed_by_provider(request: HttpRequest) -> bool:
    age = sessions.age_of(request, PROVIDER_CONFIRMED_AT)
    return age is not None and age <= PROVIDER_CONFIRMED_FOR


ACTION_PAGES = {
    "recovery_codes": (
        "Get new recovery codes",
        "Your old recovery codes will stop working.",
        "Get new codes",
    ),
    "reset": (
        "Set up a new authenticator app",
        "Your current app will stop working. You will set up the new one straight away.",
        "Set up a new app",
    ),
    "turn_off": (
        "Turn off the second factor",
        "You will sign in with your password alone.",
        "Turn it off",
    ),
}


def _confirm_action(request: HttpRequest, which: str) -> HttpResponse:
    heading, warning, button = ACTION_PAGES[which]
    context = {"heading": heading, "warning": warning, "button": button}
    return render(request, "security/confirm_action.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@require_recent_auth
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _confirm_action(request, "recovery_codes")
    try:
        codes = actions.regenerate_recovery_codes(
            acting_user(request), keep_session=request.session.session_key
        )
    except actions.SecondFactorError as error:
        messages.error(request, str(error))
        return redirect("security:two_factor")
    return render(request, "security/recovery_codes.html", {"codes": codes, "next": "/"})


@login_required
@require_http_methods(["GET", "POST"])
@require_recent_auth
def reset(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _confirm_action(request, "reset")
    actions.reset_authenticator(acting_user(request), keep_session=request.session.session_key)
    return redirect("security:set_up")


@login_required
@require_http_methods(["GET", "POST"])
@require_recent_auth
def turn_off(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if totp.required_for(user):
        messages.error(request, "Your role needs a second factor, so it cannot be turned off.")
        return redirect("security:two_factor")
    if request.method == "GET":
        return _confirm_action(request, "turn_off")
    actions.remove_second_factor(user, actor=user, keep_session=request.session.session_key)
    messages.success(request, "The second factor is off")
    return redirect("security:two_factor")


OIDC_SESSION = "security.oidc"


@require_http_methods(["GET", "POST"])
def provider_start(request: HttpRequest) -> HttpResponse:
    """Sign in with your school's Microsoft or Google account: the email address finds the
    organisation's provider."""
    form = ProviderEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        provider = oidc.provider_for_email(email)
        if provider is None:
            form.add_error(
                "email", "Your organisation has not set up sign-in with Microsoft or Google"
            )
        else:
            redirect_uri = request.build_absolute_uri(reverse("security:provider_callback"))
            try:
                started = oidc.start(provider, redirect_uri, login_hint=email)
            except oidc.SignInRefused as error:
                form.add_error("email", str(error))
            except (OSError, ValueError) as error:
                logger.warning("Sign-in with provider %s could not start: %s", provider.pk, error)
                form.add_error(
                    "email",
                    "Your organisation's sign-in service could not be reached. Try again "
                    "later, or sign in with your username and password",
                )
            else:
                request.session[OIDC_SESSION] = {
                    "provider": provider.pk,
                    "state": started.state,
                    "nonce": started.nonce,
                    "verifier": started.verifier,
                    "next": _next(request),
                }
                return HttpResponseRedirect(started.url)
    return render(request, "security/provider_start.html", {"form": form, "next": _next(request)})


@login_required
@require_POST
def provider_confirm(request: HttpRequest) -> HttpResponse:
    """ "Confirm it is you" through the organisation's sign-in service, for people who sign
    in with it (and may have no password here): the service is asked to make them sign in
    again now, and the callback checks that it did (`oidc.finish`'s auth_time check)."""
    user = acting_user(request)
    back = f"{reverse('security:confirm')}?{urlencode({'next': _next(request)})}"
    provider = oidc.provider_for_email(user.email)
    if provider is None:
        return HttpResponseRedirect(back)
    now = timezone.now()
    redirect_uri = request.build_absolute_uri(reverse("security:provider_callback"))
    try:
        started = oidc.start(provider, redirect_uri, login_hint=user.email, reauthenticate=True)
    except (oidc.SignInRefused, OSError, ValueError) as error:
        logger.warning("Confirming with provider %s could not start: %s", provider.pk, error)
        messages.error(request, "Your organisation's sign-in service could not be reached")
        return HttpResponseRedirect(back)
    request.session[OIDC_SESSION] = {
        "provider": provider.pk,
        "state": started.state,
        "nonce": started.nonce,
        "verifier": started.verifier,
        "next": _next(request, reverse("security:two_factor")),
        "confirming": user.pk,
        "started_at": now.timestamp(),
    }
    return HttpResponseRedirect(started.url)


def provider_callback(request: HttpRequest) -> HttpResponse:
    pending = request.session.pop(OIDC_SESSION, None)
    if not isinstance(pending, dict) or request.GET.get("state") != pending.get("state"):
        return _provider_refused(request, "The sign-in took too long or was started elsewhere")
    if "error" in request.GET:
        return _provider_refused(request, "The sign-in service did not sign you in")
    provider = SignInProvider.objects.filter(pk=pending["provider"], enabled=True).first()
    if provider is None:
        return _provider_refused(request, "This sign-in service is no longer set up")
    redirect_uri = request.build_absolute_uri(reverse("security:provider_callback"))
    confirming = "confirming" in pending
    try:
        claims = oidc.finish(
            provider,
            redirect_uri,
            request.build_absolute_uri(),
            state=pending["state"],
            nonce=pending["nonce"],
            verifier=pending["verifier"],
            now=timezone.now(),
            response_iss=request.GET.get("iss"),
            authenticated_since=_started_at(pending) if confirming else None,
        )
        match = oidc.account_for(provider, claims)
    except oidc.SubjectMismatch as error:
        logger.warning(
            "sign-in with provider %s refused: account %s is linked to another sub there",
            provider.pk,
            error.user.pk,
        )
        actions.record_link_refused(error.user, provider=provider, subject=error.subject)
        return _provider_refused(request, str(error))
    except oidc.SignInRefused as error:
        return _provider_refused(request, str(error))
    except (OSError, ValueError):
        return _provider_refused(request, "The sign-in service could not be reached")
    if confirming:
        return _provider_confirmed(request, provider, match, claims, pending)
    user = match.user
    try:
        actions.record_provider_sign_in(
            user, provider=provider, subject=str(claims["sub"]), first_link=match.first_link
        )
    except oidc.SubjectMismatch as error:
        actions.record_link_refused(error.user, provider=provider, subject=error.subject)
        return _provider_refused(request, str(error))
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    next_url = pending.get("next") or "/"
    trusted_mfa = _trusted_mfa(provider, claims)
    signin_log.succeeded(request, user, factor="provider_mfa" if trusted_mfa else "provider")
    if trusted_mfa:
        sessions.stamp(request, sessions.SECOND_FACTOR_AT)
        sessions.stamp(request, sessions.REAUTH_AT)
        return HttpResponseRedirect(next_url)
    return _after_first_factor(request, user, next_url, HttpResponseRedirect(next_url))


def _started_at(pending: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromtimestamp(float(pending["started_at"]), tz=dt.UTC)


def _trusted_mfa(provider: SignInProvider, claims: dict[str, Any]) -> bool:
    amr = claims.get("amr") or []
    return provider.trusts_provider_mfa and isinstance(amr, list) and "mfa" in amr


def _provider_confirmed(
    request: HttpRequest,
    provider: SignInProvider,
    match: oidc.Match,
    claims: dict[str, Any],
    pending: dict[str, Any],
) -> HttpResponse:
    """The end of "confirm it is you" through the provider: the same person signed in
    there again just now. Someone with an authenticator still types its code, unless the
    school trusts the provider's MFA and the token says it was used."""
    user = match.user
    if not (request.user.is_authenticated and user.pk == pending["confirming"] == request.user.pk):
        return _provider_refused(
            request, "You signed in at the sign-in service as someone else, so it is not confirmed"
        )
    now = timezone.now()
    actions.record_provider_sign_in(
        user, provider=provider, subject=str(claims["sub"]), first_link=match.first_link
    )
    signin_log.succeeded(request, user, factor="provider_confirm")
    sessions.rotate(request, user, now)
    next_url = pending.get("next") or reverse("security:two_factor")
    if totp.confirmed_device(user) is not None and not _trusted_mfa(provider, claims):
        sessions.stamp(request, PROVIDER_CONFIRMED_AT, now)
        query = urlencode({"next": next_url})
        return HttpResponseRedirect(f"{reverse('security:confirm')}?{query}")
    sessions.stamp(request, sessions.REAUTH_AT, now)
    return HttpResponseRedirect(next_url)


def _provider_refused(request: HttpRequest, reason: str) -> HttpResponse:
    signin_log.failed(request, None, factor="provider", reason=_slug(reason))
    return render(request, "security/provider_refused.html", {"reason": reason}, status=403)


def _slug(reason: str) -> str:
    """The refusal as one word for the log line: 'the-sign-in-took-too-long-or…'. An email
    address the message shows the person is left out: the line holds no personal data."""
    return "-".join(_EMAIL.sub("an-address", reason).lower().split())[:80]


_EMAIL = re.compile(r"\S+@\S+")


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring: the process answers, through every middleware.
    Touches no database, so it is also the floor the load benchmark measures pages against."""
    return HttpResponse("ok", content_type="text/plain")
