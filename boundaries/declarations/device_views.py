"""Clause 5 pages: the school device register, loans, returns and wipes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from boundaries.core import audit
from boundaries.core.access import acting_user, can, organisation_for
from boundaries.core.exports import csv_response
from boundaries.core.models import StaffRecord
from boundaries.declarations import device_actions as actions
from boundaries.declarations.access import device_for, loan_for
from boundaries.declarations.errors import DeclarationError
from boundaries.declarations.forms import DeviceForm, LoanForm, ReturnForm
from boundaries.declarations.models import DeviceLoan, SchoolDevice


@login_required
def devices(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "device.view")
    today = timezone.localdate()
    register = list(SchoolDevice.objects.filter(organisation=organisation))
    loans = DeviceLoan.objects.select_related("device", "borrower").filter(
        device__organisation=organisation
    )
    out = {loan.device_id: loan for loan in loans if loan.returned_on is None}
    return render(
        request,
        "declarations/devices.html",
        {
            "organisation": organisation,
            "rows": [(d, out.get(d.pk)) for d in register],
            "overdue": [loan for loan in loans if loan.is_overdue(today)],
            "to_wipe": [loan for loan in loans if loan.needs_wipe()],
            "today": today,
            "can_manage": can(request.user, "device.manage", organisation),
        },
    )


@login_required
def device_new(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "device.manage")
    form = DeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_device(organisation, actor=acting_user(request), **form.cleaned_data)
        except DeclarationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Device added to the register.")
            return redirect("declarations:devices", org)
    return render(
        request, "declarations/device_new.html", {"organisation": organisation, "form": form}
    )


@login_required
def lend(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "device.manage")
    device = device_for(request.user, organisation, pk, "device.manage")
    today = timezone.localdate()
    staff = [
        (str(s.pk), s.full_name)
        for s in StaffRecord.objects.filter(organisation=organisation)
        if s.is_current(today)
    ]
    form = LoanForm(request.POST or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        borrower = StaffRecord.objects.get(organisation=organisation, pk=int(data["borrower"]))
        try:
            actions.lend(
                device,
                actor=acting_user(request),
                borrower=borrower,
                purpose=data["purpose"],
                loaned_on=data["loaned_on"],
                due_back=data["due_back"],
            )
        except DeclarationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{device} lent to {borrower}.")
            return redirect("declarations:devices", org)
    return render(
        request,
        "declarations/lend.html",
        {"organisation": organisation, "device": device, "form": form},
    )


@login_required
def loan_return(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, org, "device.manage")
    loan = loan_for(request.user, organisation, pk, "device.manage")
    form = ReturnForm(
        request.POST or None,
        initial={
            "returned_on": loan.returned_on or timezone.localdate(),
            "images_transferred_on": loan.images_transferred_on,
            "wiped_on": loan.wiped_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_return(loan, actor=acting_user(request), **form.cleaned_data)
        except DeclarationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Return recorded.")
            return redirect("declarations:devices", org)
    return render(
        request,
        "declarations/loan_return.html",
        {"organisation": organisation, "loan": loan, "form": form},
    )


@login_required
def devices_export(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request.user, org, "device.view")
    today = timezone.localdate()
    loans = DeviceLoan.objects.select_related("device", "borrower").filter(
        device__organisation=organisation
    )
    rows = [
        (
            str(loan.device),
            loan.device.asset_tag,
            loan.borrower.full_name,
            loan.purpose,
            loan.loaned_on,
            loan.due_back,
            loan.returned_on or "",
            "overdue" if loan.is_overdue(today) else "",
            loan.images_transferred_on or "",
            loan.wiped_on or "",
        )
        for loan in loans
    ]
    with transaction.atomic():
        audit.record(
            "devices.exported",
            actor=acting_user(request),
            organisation=organisation,
            after={"rows": len(rows)},
        )
    return csv_response(
        f"device-loans-{organisation.slug}-{today}.csv",
        [
            "device",
            "asset tag",
            "borrower",
            "purpose",
            "lent",
            "due back",
            "returned",
            "overdue",
            "images transferred",
            "wiped",
        ],
        rows,
    )
