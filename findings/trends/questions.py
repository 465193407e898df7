"""One question's figures in every audit that asked it, oldest first, overall and by agency.

A question's identity across question-set versions and audits is its bank question
(``QuestionSetItem.question``): every set copies the bank question into an item that keeps
pointing at it, a new version of a set copies its items with that pointer, and the bank is
never deleted from (questions are retired), so this year's item and last year's are the same
question even when the business team edited its wording in between. The wording each audit
asked is kept on the point, and a trend says when it differs from the bank's wording now.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from auditportal.figures import Figure
from audits.models import Answer, AnswerTick, Question, QuestionSetItem, Return
from findings.results import BOARD_STATUSES, TREND_STATUSES

from .points import (
    AgencyFigures,
    Point,
    agency_distributions,
    choice_counts,
    choices_for,
    distribution,
)

TREND_KINDS = (Question.Kind.GRADE, Question.Kind.YES_PARTLY_NO, Question.Kind.CHECKLIST)


@dataclass(frozen=True)
class QuestionTrend:
    question_id: int
    text: str  # the bank's wording now
    theme_name: str
    kind: str
    points: list[Point] = field(default_factory=list)

    @property
    def wording_edited(self) -> bool:
        return any(point.wording != self.text for point in self.points)

    @property
    def labels(self) -> list[str]:
        return [figure.label for figure in self.points[0].figures] if self.points else []


def _asked(question: Question, statuses) -> list[dict]:
    return list(
        QuestionSetItem.objects.filter(question=question, question_set__audits__status__in=statuses)
        .values(
            "pk",
            "text",
            "options",
            "question_set__audits__id",
            "question_set__audits__title",
            "question_set__audits__returns_open",
        )
        .order_by("question_set__audits__returns_open", "question_set__audits__id")
    )


def question_trend(
    *, question: Question, for_board: bool = False, use_moderated: bool = False
) -> QuestionTrend:
    """The question's figures in each audit that asked it: two queries (three for a
    checklist), whatever the number of audits. Board members see published and closed
    audits only."""
    statuses = BOARD_STATUSES if for_board else TREND_STATUSES
    asked = _asked(question, statuses)
    trend = QuestionTrend(question.pk, question.text, question.theme.name, question.kind)
    if not asked:
        return trend
    item_ids = {row["pk"] for row in asked}
    audit_ids = {row["question_set__audits__id"] for row in asked}
    if question.kind == Question.Kind.CHECKLIST:
        trend.points.extend(_checklist_points(asked, item_ids, audit_ids))
    else:
        trend.points.extend(
            _choice_points(asked, item_ids, audit_ids, question.kind, use_moderated)
        )
    return trend


def _point_base(row: dict) -> dict:
    return {
        "audit_id": row["question_set__audits__id"],
        "audit_title": row["question_set__audits__title"],
        "returns_open": row["question_set__audits__returns_open"],
        "wording": row["text"],
    }


def _choice_points(asked, item_ids, audit_ids, kind: str, use_moderated: bool) -> list[Point]:
    rows = (
        Answer.objects.filter(
            item_id__in=item_ids,
            audit_return__audit_id__in=audit_ids,
            audit_return__status=Return.Status.SUBMITTED,
        )
        .exclude(choice="")
        .values_list(
            "audit_return__audit_id",
            "audit_return__agency_id",
            "audit_return__agency__name",
            "choice",
            "moderated_choice",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    overall, by_agency, names = choice_counts(rows, use_moderated=use_moderated)
    choices = choices_for(kind)
    points = []
    for row in asked:
        audit_id = row["question_set__audits__id"]
        figures, not_applicable = distribution(overall.get(audit_id, {}), choices)
        points.append(
            Point(
                **_point_base(row),
                figures=figures,
                not_applicable=not_applicable,
                by_agency=agency_distributions(by_agency.get(audit_id, {}), names, choices),
                denominator=figures[0].denominator,
            )
        )
    return points


def _checklist_points(asked, item_ids, audit_ids) -> list[Point]:
    """Prevalence: a case counts once when any agency's submitted return ticked the option,
    over the cases with a submitted return; by agency, over that agency's submitted returns."""
    submitted = Return.objects.filter(audit_id__in=audit_ids, status=Return.Status.SUBMITTED)
    cases: dict[int, set[int]] = defaultdict(set)
    returns: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    names: dict[int, str] = {}
    for audit_id, agency_id, agency_name, case_id in submitted.values_list(
        "audit_id", "agency_id", "agency__name", "case_id"
    ):
        cases[audit_id].add(case_id)
        returns[audit_id][agency_id] += 1
        names[agency_id] = agency_name
    ticked_cases: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    ticked_returns: dict[int, dict[int, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    ticks = AnswerTick.objects.filter(
        answer__item_id__in=item_ids,
        answer__audit_return__audit_id__in=audit_ids,
        answer__audit_return__status=Return.Status.SUBMITTED,
    ).values_list(
        "answer__audit_return__audit_id",
        "answer__audit_return__agency_id",
        "answer__audit_return__case_id",
        "option",
    )
    for audit_id, agency_id, case_id, option in ticks:
        ticked_cases[audit_id][option].add(case_id)
        ticked_returns[audit_id][agency_id][option] += 1

    # The options in the order the newest audit asked them, then any only older ones had.
    options: list[str] = []
    for row in reversed(asked):
        options += [option for option in row["options"] or [] if option not in options]
    points = []
    for row in asked:
        audit_id = row["question_set__audits__id"]
        denominator = len(cases.get(audit_id, ()))
        figures = [
            Figure(option, len(ticked_cases[audit_id].get(option, ())), denominator)
            for option in options
        ]
        by_agency = [
            AgencyFigures(
                agency_id,
                names[agency_id],
                [
                    Figure(option, ticked_returns[audit_id][agency_id].get(option, 0), n)
                    for option in options
                ],
            )
            for agency_id, n in sorted(returns[audit_id].items(), key=lambda kv: names[kv[0]])
        ]
        points.append(
            Point(**_point_base(row), figures=figures, by_agency=by_agency, denominator=denominator)
        )
    return points


def questions_asked(*, for_board: bool = False, theme_id: int | None = None) -> list[dict]:
    """Every bank question an audit has asked with a figure to trend (of one theme, if
    given), with how many audits asked it, in bank order: one query."""
    statuses = BOARD_STATUSES if for_board else TREND_STATUSES
    items = QuestionSetItem.objects.filter(
        question__isnull=False,
        kind__in=TREND_KINDS,
        question_set__audits__status__in=statuses,
    )
    if theme_id is not None:
        items = items.filter(question__theme_id=theme_id)
    return list(
        items.values(
            "question_id",
            "question__text",
            "question__kind",
            "question__theme_id",
            "question__theme__name",
        )
        .annotate(audits=Count("question_set__audits", distinct=True))
        .order_by(
            "question__theme__order", "question__theme__name", "question__order", "question_id"
        )
    )
