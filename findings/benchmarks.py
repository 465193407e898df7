"""Benchmarking across partnerships, aggregate only (issue 14, point 5).

A partnership that opts in (``Partnership.benchmarking_opt_in``) shares, for each theme of the
default bank (matched by its bank key: every partnership's bank is seeded from it), the share
of its graded answers that were good or outstanding, from published and closed audits. Its
board dashboard then shows its own figure beside the median of every opted-in partnership's.

What protects each partnership: a partnership's figure counts only when its graded answers
are at least its own suppression threshold (and it shares nothing about a theme otherwise);
the median is shown only when at least MIN_PARTNERSHIPS partnerships count for that theme;
it is shown as a whole percentage with the number of partnerships, never a partnership's
name, id or count. A partnership that has not opted in neither shares nor sees medians.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from auditportal.figures import Figure, percent
from auditportal.tenancy import system_context
from audits.models import Answer, Grade, Question, Return
from cases.models import Partnership

from .results import BOARD_STATUSES

# Fewer partnerships than this and a median could give one partnership's figure away.
MIN_PARTNERSHIPS = 3
GOOD = (Grade.OUTSTANDING, Grade.GOOD)


@dataclass
class ThemeBenchmark:
    theme_name: str
    own: Figure  # good or outstanding / graded, this partnership
    median: int | None  # whole percent, None when too few partnerships count
    partnerships: int  # how many partnerships the median is of (shown only with it)


def _graded(answers):  # type: ignore[no-untyped-def]
    return (
        answers.filter(
            item__kind=Question.Kind.GRADE,
            audit_return__status=Return.Status.SUBMITTED,
            audit_return__audit__status__in=BOARD_STATUSES,
        )
        .exclude(choice__in=["", Grade.NOT_APPLICABLE])
        .exclude(item__theme__key="")
    )


def _shared_figures() -> dict[str, list[int]]:
    """Bank key -> the percent of every opted-in, active partnership whose graded count
    reaches its own threshold. One query over the partnerships, one over the answers."""
    with system_context():
        thresholds = dict(
            Partnership.objects.filter(benchmarking_opt_in=True, active=True).values_list(
                "pk", "suppression_threshold"
            )
        )
        rows = (
            _graded(Answer.objects.filter(partnership_id__in=list(thresholds)))
            .values("partnership_id", "item__theme__key")
            .annotate(graded=Count("pk"), good=Count("pk", filter=Q(choice__in=GOOD)))
        )
        figures: dict[str, list[int]] = defaultdict(list)
        for row in rows:
            if row["graded"] >= max(thresholds[row["partnership_id"]], 1):
                figures[row["item__theme__key"]].append(percent(row["good"], row["graded"]) or 0)
    return figures


def theme_benchmarks(partnership: Partnership | None) -> list[ThemeBenchmark]:
    """The dashboard's benchmarks for the partnership the request is for (opted in)."""
    if partnership is None or not partnership.benchmarking_opt_in:
        return []
    own_rows = (
        _graded(Answer.objects.all())
        .values("item__theme__key", "item__theme__name", "item__theme__order")
        .annotate(graded=Count("pk"), good=Count("pk", filter=Q(choice__in=GOOD)))
        .order_by("item__theme__order", "item__theme__name")
    )
    shared = _shared_figures()
    benchmarks = []
    for row in own_rows:
        figures = shared.get(row["item__theme__key"], [])
        enough = len(figures) >= MIN_PARTNERSHIPS
        benchmarks.append(
            ThemeBenchmark(
                theme_name=row["item__theme__name"],
                own=Figure("Good or outstanding", row["good"], row["graded"]),
                median=round(statistics.median(figures)) if enough else None,
                partnerships=len(figures) if enough else 0,
            )
        )
    return benchmarks
