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

How it stays cheap (issue 14: a dashboard costs the same beside 3 or 150 partnerships): each
partnership's figure per theme is kept in its BenchmarkShare rows, recomputed from its own
answers when one of its audits moves into or out of published/closed, when an audit is purged,
when it opts in or out (findings.benchmark_receivers), and nightly for every partnership
(findings.refresh_benchmark_shares). A dashboard reads those rows, one small query.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Greatest

from auditportal.figures import Figure, percent
from auditportal.tenancy import system_context
from audits.models import Answer, Grade, Question, Return, Theme
from cases.models import Partnership

from .benchmark_models import BenchmarkShare
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


def graded_answers(answers: QuerySet[Answer]) -> QuerySet[Answer]:
    """The answers a benchmark counts: grades of submitted returns of published and closed
    audits, on a theme of the default bank (a bank key), not blank nor not applicable."""
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
    reaches its own threshold (at least 1). One query over the shares kept per partnership
    (findings.services.benchmark_shares_refresh), a few rows each: never their answers."""
    with system_context():
        rows = BenchmarkShare.objects.filter(
            partnership__benchmarking_opt_in=True,
            partnership__active=True,
            graded__gte=Greatest(F("partnership__suppression_threshold"), Value(1)),
        ).values_list("theme_key", "graded", "good")
        figures: dict[str, list[int]] = defaultdict(list)
        for theme_key, graded, good in rows:
            figures[theme_key].append(percent(good, graded) or 0)
    return figures


def theme_benchmarks(partnership: Partnership | None) -> list[ThemeBenchmark]:
    """The dashboard's benchmarks for the partnership the request is for (opted in): its own
    figures from its own share rows (the same count as its answers give, kept by the same
    refreshes), named by its own themes, and the medians from every opted-in partnership's
    shares. Two small queries, whatever the number of answers or partnerships."""
    if partnership is None or not partnership.benchmarking_opt_in:
        return []
    themes = Theme.objects.filter(partnership_id=partnership.pk, key=OuterRef("theme_key"))
    own_rows = (
        BenchmarkShare.objects.filter(partnership_id=partnership.pk)
        .annotate(
            theme_name=Subquery(themes.values("name")[:1]),
            theme_order=Subquery(themes.values("order")[:1]),
        )
        .values("theme_key", "theme_name", "theme_order", "graded", "good")
        .order_by("theme_order", "theme_name")
    )
    shared = _shared_figures()
    benchmarks = []
    for row in own_rows:
        figures = shared.get(row["theme_key"], [])
        enough = len(figures) >= MIN_PARTNERSHIPS
        benchmarks.append(
            ThemeBenchmark(
                theme_name=row["theme_name"] or row["theme_key"],
                own=Figure("Good or outstanding", row["good"], row["graded"]),
                median=round(statistics.median(figures)) if enough else None,
                partnerships=len(figures) if enough else 0,
            )
        )
    return benchmarks
