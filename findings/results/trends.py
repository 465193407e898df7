"""A theme's grade distribution in each audit that asked it, oldest to newest."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Window
from django.db.models.functions import DenseRank

from auditportal.figures import Figure
from audits.models import Answer, Question, QuestionSetItem, Return, Theme

from .counting import _distribution, _effective
from .shapes import BOARD_STATUSES, GRADES, TREND_STATUSES

# Trend across audits ---------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    """One audit's grade distribution for a theme."""

    audit_id: int
    audit_title: str
    returns_open: datetime.date
    grades: list[Figure]
    not_applicable: int

    @property
    def answered(self) -> int:
        return self.grades[0].denominator if self.grades else 0


@dataclass(frozen=True)
class ThemeTrend:
    theme_id: int
    theme_name: str
    points: list[TrendPoint] = field(default_factory=list)


def theme_trends(
    *,
    themes: Iterable[Theme] | None = None,
    for_board: bool = False,
    use_moderated: bool = False,
    latest: int | None = None,
) -> list[ThemeTrend]:
    """For each theme, its grade distribution in each audit that asked it (a grade question
    of the theme in the audit's question set), oldest to newest. Two queries in all. Board
    members see published and closed audits only. With ``latest``, only each theme's latest
    audits are counted (the dashboard: its cost then stays flat as years of audits pile up,
    docs/benchmarks.md)."""
    statuses = BOARD_STATUSES if for_board else TREND_STATUSES
    asked = QuestionSetItem.objects.filter(
        kind=Question.Kind.GRADE, question_set__audits__status__in=statuses
    )
    if themes is not None:
        asked = asked.filter(theme_id__in=[theme.pk for theme in themes])

    if latest is not None:
        # Each theme's latest audits chosen in the database: a dense rank per theme, newest
        # first (a theme asked twice in one audit shares the rank), so only what is drawn is
        # fetched however many years of audits there are.
        asked = asked.annotate(
            recency=Window(
                DenseRank(),
                partition_by=F("theme_id"),
                order_by=[
                    F("question_set__audits__returns_open").desc(),
                    F("question_set__audits__id").desc(),
                ],
            )
        ).filter(recency__lte=latest)
    # One row per grade item and audit asking it; the (theme, audit) pairs in order.
    asked_rows = list(
        asked.values(
            "id",
            "theme_id",
            "theme__name",
            "theme__order",
            "question_set__audits__id",
            "question_set__audits__title",
            "question_set__audits__returns_open",
        )
        .distinct()
        .order_by(
            "theme__order",
            "theme__name",
            "question_set__audits__returns_open",
            "question_set__audits__id",
            "id",
        )
    )
    theme_of_item = {row["id"]: row["theme_id"] for row in asked_rows}
    first_of_pair: dict[tuple[int, int], dict] = {}
    for row in asked_rows:
        first_of_pair.setdefault((row["theme_id"], row["question_set__audits__id"]), row)
    pairs = list(first_of_pair.values())
    # The answers to exactly those items in exactly those audits: no join to the items or the
    # audits (an answer's item is of its audit's question set), so the plan stays an index
    # scan of the audits' returns however large the shared tables grow (at 150 partnerships:
    # 17 ms joining every answer to its item, 7 ms this way; docs/benchmarks.md).
    rows = (
        Answer.objects.filter(
            item_id__in=list(theme_of_item),
            audit_return__audit_id__in={pair["question_set__audits__id"] for pair in pairs},
            audit_return__status=Return.Status.SUBMITTED,
        )
        .exclude(choice="")
        .values("item_id", "audit_return__audit_id", "choice", "moderated_choice")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        value = _effective(row["choice"], row["moderated_choice"], use_moderated)
        counts[(theme_of_item[row["item_id"]], row["audit_return__audit_id"])][value] += row["n"]

    trends: dict[int, ThemeTrend] = {}
    for pair in pairs:
        trend = trends.setdefault(
            pair["theme_id"], ThemeTrend(pair["theme_id"], pair["theme__name"])
        )
        audit_id = pair["question_set__audits__id"]
        grades, not_applicable = _distribution(counts.get((pair["theme_id"], audit_id), {}), GRADES)
        trend.points.append(
            TrendPoint(
                audit_id=audit_id,
                audit_title=pair["question_set__audits__title"],
                returns_open=pair["question_set__audits__returns_open"],
                grades=grades,
                not_applicable=not_applicable,
            )
        )
    return list(trends.values())


def theme_trend(
    *, theme: Theme, for_board: bool = False, use_moderated: bool = False
) -> list[TrendPoint]:
    trends = theme_trends(themes=[theme], for_board=for_board, use_moderated=use_moderated)
    return trends[0].points if trends else []
