"""Where an administrator signs a person out everywhere, keeping their account (ASVS 5.0
V7.4.5): a lost laptop, a shared computer left signed in, a suspected break-in; and where
they clear a second factor lost with its recovery codes (V6.4.4).

The headteacher does it for their school, the authority admin for the authority and its
schools (`sessions.end`). The people shown are those all of whose roles lie in the
organisation or below it, the rule ADR 0008 gives the sign-in services: a head cannot sign
out the authority admin who is also a governor at the school, nor a teacher who also works
at another school (the authority admin can). Signing someone out needs a recent sign-in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from boundaries.core.access import acting_user, organisation_for
from boundaries.core.models import Membership, Organisation, User
from boundaries.security import actions, totp
from boundaries.security.decorators import require_recent_auth
from boundaries.security.forms import IdentityCheckForm
from boundaries.security.models import LiveSession

END = "sessions.end"


def _within(organisation: Organisation) -> set[int]:
    """The organisation and every organisation below it."""
    found, frontier = {organisation.pk}, {organisation.pk}
    while frontier:
        frontier = (
            set(Organisation.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            - found
        )
        found |= frontier
    return found


def people_within(organisation: Organisation, *, viewer: User) -> list[User]:
    """Active people, other than the viewer, with a role here and none outside."""
    inside = _within(organisation)
    roles: defaultdict[int, set[int]] = defaultdict(set)
    holders = Membership.objects.filter(user__memberships__organisation_id__in=inside)
    for user_id, org_id in holders.values_list("user_id", "organisation_id"):
        roles[user_id].add(org_id)
    wholly = [pk for pk, orgs in roles.items() if orgs <= inside and pk != viewer.pk]
    return list(User.objects.filter(pk__in=wholly, is_active=True).order_by("last_name", "pk"))


def person_for(organisation: Organisation, viewer: User, pk: int) -> User:
    """A person this organisation's administrator may sign out, or 404 whether or not the
    account exists."""
    person = next((p for p in people_within(organisation, viewer=viewer) if p.pk == pk), None)
    if person is None:
        raise Http404("No such person")
    return person


@dataclass(frozen=True)
class SignedIn:
    person: User
    sessions: int
    latest: datetime | None


@login_required
def signed_in(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, END)
    people = people_within(organisation, viewer=acting_user(request))
    counts: defaultdict[int, list[datetime]] = defaultdict(list)
    live = LiveSession.objects.filter(user__in=people).values_list("user_id", "signed_in_at")
    for user_id, at in live:
        counts[user_id].append(at)
    rows = [SignedIn(p, len(counts[p.pk]), max(counts[p.pk], default=None)) for p in people]
    context = {"organisation": organisation, "rows": rows}
    return render(request, "security/people_sessions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@require_recent_auth
def end_sessions(request: HttpRequest, org: str, person: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, END)
    viewer = acting_user(request)
    target = person_for(organisation, viewer, person)
    if request.method == "POST":
        ended = actions.end_sessions_for(target, actor=viewer, organisation=organisation)
        what = "1 session" if ended == 1 else f"{ended} sessions"
        messages.success(request, f"{target} is signed out everywhere ({what} ended)")
        return redirect("people_sessions:list", organisation.slug)
    sessions = LiveSession.objects.filter(user=target).count()
    context = {"organisation": organisation, "person": target, "sessions": sessions}
    return render(request, "security/people_sessions_end.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@require_recent_auth
def clear_second_factor(request: HttpRequest, org: str, person: int) -> HttpResponse:
    """For someone who has lost both their authenticator app and their recovery codes (ASVS
    5.0 V6.4.4), once the administrator has checked who they are: docs/security.md gives the
    procedure."""
    organisation = organisation_for(request.user, org, END)
    viewer = acting_user(request)
    target = person_for(organisation, viewer, person)
    form = IdentityCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.clear_lost_second_factor(
                target,
                actor=viewer,
                organisation=organisation,
                identity_check=form.cleaned_data["identity_check"],
            )
        except actions.SecondFactorError as error:
            form.add_error("identity_check", str(error))
        else:
            messages.success(
                request,
                f"{target}'s second factor is cleared and they are signed out everywhere: "
                "they set up a new authenticator app when they next sign in",
            )
            return redirect("people_sessions:list", organisation.slug)
    has_app = totp.confirmed_device(target) is not None
    context = {"organisation": organisation, "person": target, "form": form, "has_app": has_app}
    return render(request, "security/people_second_factor_clear.html", context)
