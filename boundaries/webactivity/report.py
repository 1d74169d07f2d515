"""The school report: minutes per day across staff, and who is above the threshold.

Questions answered from the stored aggregates only. People above the threshold are
shown by a number, not a name: a name needs the drill-down, its reason and its audit row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Sum

from boundaries.core.models import Organisation, StaffRecord
from boundaries.webactivity.models import DayFigure

DEFAULT_SPAN = 28


@dataclass(frozen=True)
class DayRow:
    date: dt.date
    staff: int
    minutes: int
    above: int

    @property
    def mean(self) -> float:
        return self.minutes / self.staff if self.staff else 0.0


@dataclass(frozen=True)
class PersonRow:
    number: int
    staff_id: int
    days_above: int
    highest: int
    minutes: int


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    above: bool
    label_x: float
    anchor: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    ticks: tuple[tuple[float, int], ...]
    top: int


def period(
    organisation: Organisation, start: dt.date | None, end: dt.date | None
) -> tuple[dt.date, dt.date] | None:
    span = DayFigure.objects.filter(organisation=organisation).aggregate(
        first=Min("date"), last=Max("date")
    )
    if span["last"] is None:
        return None
    end = end or span["last"]
    start = start or max(span["first"], end - dt.timedelta(days=DEFAULT_SPAN - 1))
    return (start, end) if start <= end else (end, start)


def day_rows(
    organisation: Organisation, start: dt.date, end: dt.date, threshold: int
) -> list[DayRow]:
    figures = DayFigure.objects.filter(organisation=organisation, date__range=(start, end))
    totals = figures.values("date").annotate(staff=Count("id"), minutes=Sum("social_minutes"))
    above = dict(
        figures.filter(social_minutes__gt=threshold)
        .values("date")
        .annotate(n=Count("id"))
        .values_list("date", "n")
    )
    return [
        DayRow(t["date"], t["staff"], t["minutes"] or 0, above.get(t["date"], 0))
        for t in totals.order_by("date")
    ]


def people_above(
    organisation: Organisation, start: dt.date, end: dt.date, threshold: int
) -> list[PersonRow]:
    rows = (
        DayFigure.objects.filter(
            organisation=organisation, date__range=(start, end), social_minutes__gt=threshold
        )
        .values("staff_id")
        .annotate(days=Count("id"), highest=Max("social_minutes"), minutes=Sum("social_minutes"))
        .order_by("-days", "-minutes", "staff_id")
    )
    return [
        PersonRow(i, r["staff_id"], r["days"], r["highest"], r["minutes"])
        for i, r in enumerate(rows, start=1)
    ]


def person_days(staff: StaffRecord, start: dt.date | None = None) -> list[DayFigure]:
    figures = DayFigure.objects.filter(staff=staff).select_related("run").order_by("-date")
    return list(figures.filter(date__gte=start) if start else figures)


def chart(rows: list[DayRow], *, width: int = 480, height: int = 260) -> Chart:
    """Bar geometry for an SVG drawn by the template: no script, no inline style."""
    left, bottom, top_pad = 48, 40, 12
    plot_w, plot_h = width - left - 8, height - bottom - top_pad
    top = max([r.minutes for r in rows] + [1])
    step = _nice_step(top)
    top = ((top + step - 1) // step) * step
    slot = plot_w / max(len(rows), 1)
    bars = []
    for i, row in enumerate(rows):
        h = plot_h * row.minutes / top
        bars.append(
            Bar(
                x=round(left + i * slot + slot * 0.15, 1),
                y=round(top_pad + plot_h - h, 1),
                width=round(slot * 0.7, 1),
                height=round(h, 1),
                label=row.date.strftime("%d %b"),
                value=row.minutes,
                above=row.above > 0,
                label_x=round(
                    left + i * slot + (slot * 0.85 if i and i == len(rows) - 1 else slot * 0.15), 1
                ),
                anchor="end" if i and i == len(rows) - 1 else "start",
            )
        )
    ticks = tuple(
        (round(top_pad + plot_h - plot_h * v / top, 1), v) for v in range(0, top + 1, step)
    )
    return Chart(width, height, tuple(bars), ticks, top)


def _nice_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000):
        if top / step <= 5:
            return step
    return 20000
