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
from engines.weblogs import Analysis, WeblogsError, analyse, load_catalogue


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
    _refuse_if_nothing_was_read(analysis, fmt)
    run = save_analysis(organisation, analysis, actor=actor, names=names)
    return run, analysis


def _refuse_if_nothing_was_read(analysis: Analysis, fmt: str) -> None:
    """A file in another format is an error, not an analysis that found nothing.

    Bad lines in a good file are counted and reported; but when every line (a CSV header
    apart) failed, the format is wrong, and saving an empty run would only mislead.
    """
    bad = analysis.unparsed_lines
    if not bad or analysis.days or analysis.unmapped_lines or bad + 1 < analysis.lines:
        return
    first = analysis.unparsed_examples[0]
    raise WeblogsError(
        f"{first.source}: nothing could be read as {fmt}: {bad} of its {analysis.lines} "
        f"lines are not in that format; line {first.line}: {first.text[:160]}"
    )
