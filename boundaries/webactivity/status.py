"""Live status of the working-hours report (clause 4.1(i)) for the clause-by-clause page."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Min

from boundaries.core.models import Organisation
from boundaries.policies.controls import ControlStatus, provides_status
from boundaries.webactivity.models import AnalysisRun, DayFigure

STALE_AFTER = dt.timedelta(days=30)


@provides_status("working_hours_report")
def working_hours_status(organisation: Organisation, today: dt.date) -> ControlStatus:
    last = AnalysisRun.objects.filter(organisation=organisation).order_by("-created_at").first()
    if last is None:
        return ControlStatus("attention", "No web-filter logs have been analysed yet.")
    figures = DayFigure.objects.filter(organisation=organisation).aggregate(
        first=Min("date"), last=Max("date"), days=Count("date", distinct=True)
    )
    analysed = last.created_at.date()
    covered = (
        f"{figures['days']} working days from {figures['first']:%d %b %Y} "
        f"to {figures['last']:%d %b %Y}"
        if figures["days"]
        else "no working days"
    )
    summary = f"Last analysis {analysed:%d %b %Y}; figures cover {covered}."
    if today - analysed > STALE_AFTER:
        return ControlStatus("attention", f"No analysis in the last 30 days. {summary}")
    return ControlStatus("ok", summary)
