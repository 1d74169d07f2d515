"""Bar charts drawn on the server as SVG, so they need no script (strict CSP) and print
in PDFs. Each chart goes beside a table with the same numbers for screen readers."""

from __future__ import annotations

from dataclasses import dataclass

ROW = 34
LABEL_WIDTH = 190
BAR_WIDTH = 300


@dataclass(frozen=True)
class Bar:
    label: str
    percent: int
    y: int
    width: int
    text_y: int
    text_x: int
    colour: str


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    height: int
    width: int = LABEL_WIDTH + BAR_WIDTH + 60
    label_width: int = LABEL_WIDTH
    bar_width: int = BAR_WIDTH


def colour(percent: int) -> str:
    """GOV.UK green at 90% and over, orange from 60%, red below (with the number shown)."""
    if percent >= 90:
        return "#00703c"
    if percent >= 60:
        return "#f47738"
    return "#d4351c"


def bar_chart(title: str, rows: list[tuple[str, int | None]]) -> BarChart:
    bars = []
    for i, (label, value) in enumerate(rows):
        percent = value or 0
        width = round(BAR_WIDTH * percent / 100)
        bars.append(
            Bar(
                label=label[:28],
                percent=percent,
                y=i * ROW + 6,
                width=width,
                text_y=i * ROW + 23,
                text_x=LABEL_WIDTH + width + 6,
                colour=colour(percent),
            )
        )
    return BarChart(title=title, bars=bars, height=max(len(rows), 1) * ROW + 8)
