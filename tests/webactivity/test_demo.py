"""The demo gives Rivington three weeks of figures and its other names, once."""

from __future__ import annotations

import pytest

from boundaries import demo
from boundaries.screening.models import ScreeningSettings
from boundaries.webactivity.models import AnalysisRun, DayFigure


@pytest.mark.django_db
def test_the_demo_analyses_an_invented_log_once() -> None:
    demo.build()
    figures = DayFigure.objects.filter(organisation__slug="rivington").count()
    assert figures > 200
    assert ScreeningSettings.objects.get(organisation__slug="rivington").aliases
    demo.build()
    assert AnalysisRun.objects.count() == 1
    assert DayFigure.objects.count() == figures
