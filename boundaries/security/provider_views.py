"""Pages where a headteacher (for their school) or the authority admin (for the authority and
its schools) adds, changes and deletes the organisation's OpenID Connect sign-in service.

Changing one needs a recent sign-in (`require_recent_auth`): it decides who can get in.
The client secret is write-only: the pages say whether one is set, never what it is.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from boundaries.core.access import acting_user, can, organisation_for
from boundaries.core.models import Organisation
from boundaries.security import actions, oidc
from boundaries.security.decorators import require_recent_auth
from boundaries.security.forms import ProviderForm
from boundaries.security.models import SignInProvider

MANAGE = "sign_in_provider.manage"


def provider_for(organisation: Organisation, pk: int) -> SignInProvider:
    """The organisation's own provider, or 404 whether or not another organisation has one
    with that number."""
    provider = SignInProvider.objects.filter(organisation=organisation, pk=pk).first()
    if provider is None:
        raise Http404("No such sign-in service")
    return provider


def _list(
    request: HttpRequest,
    organisation: Organisation,
    *,
    tested: SignInProvider | None = None,
    result: oidc.DiscoveryCheck | None = None,
) -> HttpResponse:
    context = {
        "organisation": organisation,
        "providers": organisation.sign_in_providers.order_by("pk"),
        "tested": tested,
        "result": result,
        "callback_url": request.build_absolute_uri(reverse("security:provider_callback")),
    }
    return render(request, "security/providers.html", context)


@login_required
def providers(request: HttpRequest, org: str) -> HttpResponse:
    return _list(request, organisation_for(request.user, org, MANAGE))


def _wanted(form: ProviderForm) -> actions.ProviderSettings:
    data = form.cleaned_data
    return actions.ProviderSettings(
        kind=data["kind"],
        issuer=data["issuer"],
        client_id=data["client_id"],
        email_domains=data["email_domains"],
        enabled=data["enabled"],
        trusts_provider_mfa=data["trusts_provider_mfa"],
    )


SaveProvider = Callable[[actions.ProviderSettings, str], SignInProvider]


def _save_or_show_form(
    request: HttpRequest,
    organisation: Organisation,
    form: ProviderForm,
    provider: SignInProvider | None,
    *,
    save: SaveProvider,
    saved: str,
) -> HttpResponse:
    """The add and change pages once their form is built: a valid answer is saved through
    `save` (the action, given the settings and any new client secret) and the list is shown
    with `saved`; otherwise, or when the action refuses a field, the form again."""
    if request.method == "POST" and form.is_valid():
        try:
            save(_wanted(form), form.cleaned_data["client_secret"])
        except actions.ProviderError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, saved)
            return redirect("providers:list", organisation.slug)
    context = {"organisation": organisation, "form": form, "provider": provider}
    return render(request, "security/provider_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@require_recent_auth
def provider_new(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, MANAGE)
    may_trust = can(request.user, "sign_in_provider.trust_mfa", organisation)
    form = ProviderForm(request.POST or None, initial={"enabled": True}, may_trust_mfa=may_trust)
    return _save_or_show_form(
        request,
        organisation,
        form,
        None,
        save=partial(actions.add_provider, organisation, actor=acting_user(request)),
        saved="The sign-in service is added. Test its discovery below.",
    )


@login_required
@require_http_methods(["GET", "POST"])
@require_recent_auth
def provider_edit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, MANAGE)
    provider = provider_for(organisation, pk)
    current = actions.ProviderSettings.of(provider)
    initial = {**current.for_audit(), "email_domains": "\n".join(current.email_domains)}
    form = ProviderForm(
        request.POST or None,
        initial=initial,
        has_secret=bool(provider.sealed_client_secret),
        may_trust_mfa=can(request.user, "sign_in_provider.trust_mfa", organisation),
    )
    return _save_or_show_form(
        request,
        organisation,
        form,
        provider,
        save=partial(actions.change_provider, provider, actor=acting_user(request)),
        saved="The sign-in service is saved",
    )


@login_required
@require_http_methods(["GET", "POST"])
@require_recent_auth
def provider_delete(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """Are you sure? The page says who would be left without a way in; the action refuses
    while anyone would be."""
    organisation = organisation_for(request.user, org, MANAGE)
    provider = provider_for(organisation, pk)
    refused = ""
    if request.method == "POST":
        try:
            actions.delete_provider(provider, actor=acting_user(request))
        except actions.ProviderError as error:
            refused = str(error)
        else:
            messages.success(request, f"The {provider.get_kind_display()} sign-in is deleted")
            return redirect("providers:list", organisation.slug)
    context = {
        "organisation": organisation,
        "provider": provider,
        "stranded": len(oidc.signs_in_only_here(provider)),
        "refused": refused,
    }
    return render(request, "security/provider_delete.html", context)


@login_required
@require_POST
def provider_test(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """Fetch the issuer's discovery document now and say plainly whether it works."""
    organisation = organisation_for(request.user, org, MANAGE)
    provider = provider_for(organisation, pk)
    result = oidc.check_discovery(provider.issuer)
    return _list(request, organisation, tested=provider, result=result)


@login_required
def provider_links(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """Who is linked to the provider by their `sub` there (`ProviderSubject`)."""
    organisation = organisation_for(request.user, org, MANAGE)
    provider = provider_for(organisation, pk)
    links = provider.subjects.select_related("user").order_by("user__last_name", "pk")
    context = {"organisation": organisation, "provider": provider, "links": links}
    return render(request, "security/provider_links.html", context)


@login_required
@require_POST
@require_recent_auth
def provider_clear_link(request: HttpRequest, org: str, pk: int, link: int) -> HttpResponse:
    """Clear one person's link, so their next sign-in links again by email: it decides
    whose account a provider's account reaches, so it needs a recent sign-in."""
    organisation = organisation_for(request.user, org, MANAGE)
    provider = provider_for(organisation, pk)
    found = provider.subjects.filter(pk=link).select_related("user", "provider").first()
    if found is None:
        raise Http404("No such link")
    actions.clear_provider_link(found, actor=acting_user(request))
    messages.success(request, f"The link of {found.user} is cleared")
    return redirect("providers:links", organisation.slug, provider.pk)
