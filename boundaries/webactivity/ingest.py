"""Analyse log files for a school with its own rules and store the aggregates.

Shared by the upload page and `boundaries weblogs analyse --school`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from boundaries.core.models import Organisation, User
from boundaries.webactivity.actions import save_analysis
from boundaries.webactivity.inputs import calendar_for, identities_for, work_use_for
from boundaries.webactivity.models import AnalysisRun
from engines.weblogs import Analysis, analyse, load_catalogue


def analyse_for_school(
    organisation: Organisation,
    paths: Sequence[Path],
    *,
    fmt: str,
    actor: User | None,
    columns: str | None = None,
    names: Sequence[str] | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> tuple[AnalysisRun, Analysis]:
    """Raises engines.weblogs.WeblogsError on bad input; nothing is stored then."""
    analysis = analyse(
        paths,
        fmt=fmt,
        catalogue=load_catalogue(),
        identities=identities_for(organisation),
        calendar=calendar_for(organisation),
        work_use=work_use_for(organisation),
        columns=columns,
        progress=progress,
        workers=workers,
    )
    run = save_analysis(organisation, analysis, actor=actor, names=names)
    return run, analysis
