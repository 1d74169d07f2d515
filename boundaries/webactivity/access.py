"""Fetch web-activity records for a person, or 404 without saying whether they exist."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from boundaries.core.access import can
from boundaries.core.models import Organisation, StaffRecord, User
from boundaries.webactivity.models import DayFigure, FigureChallenge, WorkUseMark


def own_staff_records(user: User | AnonymousUser, organisation: Organisation) -> list[StaffRecord]:
    if not isinstance(user, User) or not can(user, "webactivity.own", organisation):
        return []
    return list(StaffRecord.objects.filter(organisation=organisation, user=user))


def own_figure_for(user: User | AnonymousUser, organisation: Organisation, pk: int) -> DayFigure:
    """A figure about the person themselves; nobody else's, whatever their role."""
    figure = (
        DayFigure.objects.select_related("staff", "organisation")
        .filter(organisation=organisation, pk=pk)
        .first()
    )
    mine = {s.pk for s in own_staff_records(user, organisation)}
    if figure is None or figure.staff_id not in mine:
        raise Http404("No such figure")
    return figure


def staff_for_drilldown(
    user: User | AnonymousUser, organisation: Organisation, pk: int
) -> StaffRecord:
    staff = StaffRecord.objects.filter(organisation=organisation, pk=pk).first()
    if staff is None or not can(user, "webactivity.report", organisation):
        raise Http404("No such person")
    return staff


def challenge_for(
    user: User | AnonymousUser, organisation: Organisation, pk: int
) -> FigureChallenge:
    challenge = (
        FigureChallenge.objects.select_related("staff")
        .filter(organisation=organisation, pk=pk)
        .first()
    )
    if challenge is None or not can(user, "webactivity.manage", organisation):
        raise Http404("No such challenge")
    return challenge


def work_use_mark_for(
    user: User | AnonymousUser, organisation: Organisation, pk: int
) -> WorkUseMark:
    mark = WorkUseMark.objects.filter(organisation=organisation, pk=pk).first()
    if mark is None or not can(user, "webactivity.manage", organisation):
        raise Http404("No such mark")
    return mark
