"""A person's own password and sessions: changing the password (ASVS 5.0 V6.2.2, V6.2.3),
seeing where they are signed in and signing out there (V7.5.2).

Changing the password asks for the current one, which counts against the same lockout as
sign-in, so a borrowed session cannot be used to guess it. Ending sessions needs a recent
sign-in (`require_recent_auth`), as the standard asks.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.views.decorators.http import require_http_methods

from boundaries.core.access import acting_user
from boundaries.security import actions, sessions, signin_log, throttle
from boundaries.security.decorators import require_recent_auth
from boundaries.security.forms import ChangePasswordForm
from boundaries.security.models import FailureCounter, LiveSession


@login_required
@require_http_methods(["GET", "POST"])
def change_password(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not user.has_usable_password():
        return render(request, "security/password_from_provider.html")
    form = ChangePasswordForm(user, request.POST or None)
    if request.method == "POST":
        now = timezone.now()
        key, _ = throttle.account_key(user.username)
        if throttle.is_locked(FailureCounter.Scope.ACCOUNT, key, now):
            signin_log.failed(request, user, factor="password", reason="locked")
            logout(request)
            messages.error(request, "Too many wrong passwords. Wait 15 minutes, then sign in.")
            return redirect("login")
        if form.is_valid():
            actions.change_password(
                user, form.cleaned_data["new_password1"], keep_session=request.session.session_key
            )
            sessions.keep_after_password_change(request, user, now)
            messages.success(
                request, "Your password has changed. You are signed out everywhere else."
            )
            return redirect("security:two_factor")
        if form.wrong_current_password:
            signin_log.failed(request, user, factor="password", reason="wrong")
            address = throttle.client_address(request)
            throttle.record_failure(
                FailureCounter.Scope.ACCOUNT, key, now, user=user, address=address
            )
    return render(request, "security/change_password.html", {"form": form})


@login_required
def own_sessions(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    current = request.session.session_key
    live = LiveSession.objects.filter(user=user).order_by("-signed_in_at")
    rows = [(session, session.session_key == current) for session in live]
    rows.sort(key=lambda row: not row[1])  # this one first
    return render(request, "security/sessions.html", {"rows": rows, "others": len(rows) - 1})


@login_required
@require_http_methods(["GET", "POST"])
@require_recent_auth
def end_other_sessions(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if request.method == "GET":
        context = {
            "heading": "Sign out everywhere else",
            "warning": "You will stay signed in here, on this device only.",
            "button": "Sign out everywhere else",
            "cancel": "security:sessions",
        }
        return render(request, "security/confirm_action.html", context)
    ended = actions.end_other_sessions(user, keep_session=request.session.session_key)
    messages.success(request, _signed_out(ended))
    return redirect("security:sessions")


@login_required
@require_http_methods(["GET", "POST"])
@require_recent_auth
def end_session(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign out one session elsewhere. Only the person's own, and not this one (the header's
    "Sign out" is for that); anything else is 404."""
    user = acting_user(request)
    live = LiveSession.objects.filter(user=user, pk=pk).first()
    if live is None or live.session_key == request.session.session_key:
        raise Http404("No such session")
    if request.method == "GET":
        where = live.device or "a browser we do not recognise"
        context = {
            "heading": "Sign out this session",
            "warning": f"{where}, signed in {_when(live.signed_in_at)}, will be signed out.",
            "button": "Sign it out",
            "cancel": "security:sessions",
        }
        return render(request, "security/confirm_action.html", context)
    if actions.end_one_session(user, live.pk):
        messages.success(request, _signed_out(1))
    return redirect("security:sessions")


def _when(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def _signed_out(count: int) -> str:
    if count == 0:
        return "You were not signed in anywhere else"
    return "Signed out of 1 other session" if count == 1 else f"Signed out of {count} sessions"
