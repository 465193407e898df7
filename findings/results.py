"""Aggregated results of audits (SPEC.md "Aggregation rules"): whole percentages rounded half
up, always shown with their counts, with optional small-number suppression.

Every figure is an ``auditportal.figures.Figure`` (``.percent`` round half up,
``.display(suppress_below=0)`` -> "75% (3 of 4)" or "fewer than 3" or "no answers").

Public API (used by the results page, exports, the board dashboard and briefings):

- ``audit_results(*, audit, use_moderated=False) -> AuditResults``: every figure of one audit,
  from submitted returns only, in a fixed number of queries (four) whatever the number of
  cases, agencies and answers. With ``use_moderated`` a grade counts as its moderated grade
  where the business team recorded one (Coalesce(moderated_choice, choice)).
- ``theme_trends(*, themes=None, for_board=False, use_moderated=False) -> list[ThemeTrend]``
  and ``theme_trend(*, theme, for_board=False, use_moderated=False) -> list[TrendPoint]``:
  a theme's grade distribution in each audit that asked it, oldest to newest (two queries).
  ``for_board`` keeps published and closed audits only.
- ``action_summary(*, for_board=False) -> ActionSummary``: actions by status and overdue.

The shapes (frozen dataclasses):

- ``AuditResults``: ``audit_id``, ``use_moderated``, ``cases`` (cases with at least one
  submitted return: the prevalence denominator), ``cases_in_sample``, ``completion``
  (Figure: submitted of expected returns), ``completion_by_agency`` (list[AgencyCompletion]),
  ``agencies`` (list[AgencyRef]), ``themes`` (list[ThemeResult]), ``yes_partly_no``
  (list[YesPartlyNoResult]), ``checklists`` (list[ChecklistResult]), ``agreement`` (Figure:
  moderated grade answers whose moderated grade equals the agency's grade).
- ``ThemeResult``: ``theme_id``, ``theme_name``, ``grades`` (list of four Figures, Outstanding,
  Good, Requires improvement, Inadequate, over the answered grade questions of the theme with
  N/A excluded), ``not_applicable`` (int), ``answered`` (the denominator), ``by_agency``
  (list[AgencyDistribution]), ``agreement`` (Figure).
- ``YesPartlyNoResult``: ``item_id``, ``text``, ``theme_id``, ``theme_name``, ``answers``
  (Figures for Yes, Partly, No; N/A excluded), ``not_applicable``, ``by_agency``.
- ``ChecklistResult``: ``item_id``, ``text``, ``theme_id``, ``theme_name``, ``cases`` (the
  denominator), ``options`` (one Figure per option: cases in which at least one agency's
  submitted return ticked it, over cases with a submitted return), ``by_agency``
  (list[AgencyChecklist]: the agency's submitted returns that ticked each option).
- ``AgencyDistribution``: ``agency_id``, ``agency_name``, ``figures``, ``not_applicable``.
- ``AgencyCompletion``: ``agency_id``, ``agency_name``, ``expected``, ``submitted``,
  ``figure`` (Figure).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Window
from django.db.models.functions import DenseRank
from django.utils import timezone

from auditportal.figures import Figure
from audits.models import (
    Answer,
    AnswerTick,
    Audit,
    Grade,
    Question,
    QuestionSetItem,
    Return,
    Theme,
    YesPartlyNo,
)

GRADES: list[tuple[str, str]] = [
    (value, label) for value, label in Grade.choices if value != Grade.NOT_APPLICABLE
]
YES_PARTLY_NO: list[tuple[str, str]] = [
    (value, label) for value, label in YesPartlyNo.choices if value != YesPartlyNo.NOT_APPLICABLE
]
NOT_APPLICABLE = "not_applicable"
BOARD_STATUSES = (Audit.Status.PUBLISHED, Audit.Status.CLOSED)
# Audits whose answers may count in a trend: returns have been asked for.
TREND_STATUSES = (
    Audit.Status.OPEN,
    Audit.Status.MODERATION,
    Audit.Status.FINDINGS_AGREED,
    Audit.Status.PUBLISHED,
    Audit.Status.CLOSED,
)


@dataclass(frozen=True)
class AgencyRef:
    agency_id: int
    agency_name: str


@dataclass(frozen=True)
class AgencyCompletion:
    agency_id: int
    agency_name: str
    expected: int
    submitted: int

    @property
    def figure(self) -> Figure:
        return Figure(self.agency_name, self.submitted, self.expected)


@dataclass(frozen=True)
class AgencyDistribution:
    agency_id: int
    agency_name: str
    figures: list[Figure]
    not_applicable: int

    @property
    def answered(self) -> int:
        return self.figures[0].denominator if self.figures else 0


@dataclass(frozen=True)
class ThemeResult:
    theme_id: int
    theme_name: str
    grades: list[Figure]
    not_applicable: int
    by_agency: list[AgencyDistribution]
    agreement: Figure

    @property
    def answered(self) -> int:
        return self.grades[0].denominator if self.grades else 0


@dataclass(frozen=True)
class YesPartlyNoResult:
    item_id: int
    text: str
    theme_id: int
    theme_name: str
    answers: list[Figure]
    not_applicable: int
    by_agency: list[AgencyDistribution]

    @property
    def answered(self) -> int:
        return self.answers[0].denominator if self.answers else 0


@dataclass(frozen=True)
class AgencyChecklist:
    agency_id: int
    agency_name: str
    returns: int
    options: list[Figure]


@dataclass(frozen=True)
class ChecklistResult:
    item_id: int
    text: str
    theme_id: int
    theme_name: str
    cases: int
    options: list[Figure]
    by_agency: list[AgencyChecklist]


@dataclass(frozen=True)
class AuditResults:
    audit_id: int
    use_moderated: bool
    cases: int
    cases_in_sample: int
    completion: Figure
    completion_by_agency: list[AgencyCompletion]
    agencies: list[AgencyRef]
    themes: list[ThemeResult]
    yes_partly_no: list[YesPartlyNoResult]
    checklists: list[ChecklistResult]
    agreement: Figure

    @property
    def has_submitted_returns(self) -> bool:
        return self.completion.count > 0


def _distribution(
    counts: dict[str, int], choices: list[tuple[str, str]]
) -> tuple[list[Figure], int]:
    answered = sum(counts.get(value, 0) for value, _ in choices)
    figures = [Figure(label, counts.get(value, 0), answered) for value, label in choices]
    return figures, counts.get(NOT_APPLICABLE, 0)


def _effective(choice: str, moderated_choice: str, use_moderated: bool) -> str:
    return moderated_choice if use_moderated and moderated_choice else choice


def audit_results(*, audit: Audit, use_moderated: bool = False) -> AuditResults:
    """Every figure of one audit from its submitted returns, in four queries: the question
    set's items, the audit's returns (agency, case, status: a row each, tens to hundreds),
    answer counts grouped by (item, agency, choice, moderated choice), and the audit's
    checklist ticks (a row each, counted here both over cases and by agency). The answer and
    tick queries name the items they want, so PostgreSQL looks up ticks for checklist
    answers only (docs/benchmarks.md, "Results against SQL")."""
    item_rows = (
        QuestionSetItem.objects.filter(
            question_set_id=audit.question_set_id,
            kind__in=[Question.Kind.GRADE, Question.Kind.YES_PARTLY_NO, Question.Kind.CHECKLIST],
        )
        .order_by("order", "pk")
        .values_list("pk", "kind", "theme_id", "theme_name", "text", "options", named=True)
    )
    items = list(item_rows)
    answered_items = [item.pk for item in items if item.kind != Question.Kind.CHECKLIST]
    checklist_items = [item.pk for item in items if item.kind == Question.Kind.CHECKLIST]

    return_rows = (
        Return.objects.filter(audit=audit)
        .values_list("agency_id", "agency__name", "case_id", "status")
        .order_by("agency__name", "agency_id")
    )
    expected_by_agency: dict[int, int] = defaultdict(int)
    submitted_by_agency: dict[int, int] = defaultdict(int)
    agency_names: dict[int, str] = {}
    cases_in_sample: set[int] = set()
    cases_with_submitted: set[int] = set()
    for agency_id, agency_name, case_id, status in return_rows:
        agency_names[agency_id] = agency_name
        expected_by_agency[agency_id] += 1
        cases_in_sample.add(case_id)
        if status == Return.Status.SUBMITTED:
            submitted_by_agency[agency_id] += 1
            cases_with_submitted.add(case_id)
    by_name = list(agency_names)  # in the database's order of names
    agencies = [AgencyRef(agency_id, agency_names[agency_id]) for agency_id in by_name]
    completion_by_agency = [
        AgencyCompletion(
            agency_id,
            agency_names[agency_id],
            expected_by_agency[agency_id],
            submitted_by_agency[agency_id],
        )
        for agency_id in by_name
    ]

    # One row per (item, agency, agency grade, moderated grade): bounded by the question set
    # and the agencies, never by the number of cases.
    answer_rows = (
        Answer.objects.filter(
            audit_return__audit=audit,
            audit_return__status=Return.Status.SUBMITTED,
            item_id__in=answered_items,
        )
        .exclude(choice="")
        .values_list("item_id", "audit_return__agency_id", "choice", "moderated_choice")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # A row per tick of a submitted return: a few per case and checklist.
    tick_rows = AnswerTick.objects.filter(
        answer__audit_return__audit=audit,
        answer__audit_return__status=Return.Status.SUBMITTED,
        answer__item_id__in=checklist_items,
    ).values_list(
        "answer__item_id",
        "option",
        "answer__audit_return__case_id",
        "answer__audit_return__agency_id",
        "answer__audit_return_id",
    )

    # counts[item_id][agency_id][value]; agreement[item_id] = (moderated, agreed)
    counts: dict[int, dict[int, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    moderated: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for item_id, agency_id, choice, moderated_choice, n in answer_rows:
        value = _effective(choice, moderated_choice, use_moderated)
        counts[item_id][agency_id][value] += n
        if moderated_choice:
            moderated[item_id][0] += n
            if moderated_choice == choice:
                moderated[item_id][1] += n

    # Cases (overall) and returns (by agency) that ticked each option, counted once each.
    tick_cases: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    tick_returns: dict[int, dict[int, dict[str, set[int]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(set))
    )
    for item_id, option, case_id, agency_id, return_id in tick_rows:
        tick_cases[item_id][option].add(case_id)
        tick_returns[item_id][agency_id][option].add(return_id)
    ticks = {
        item_id: {option: len(ids) for option, ids in case_options.items()}
        for item_id, case_options in tick_cases.items()
    }
    agency_ticks: dict[int, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for item_id, by_agency in tick_returns.items():
        for agency_id, agency_options in by_agency.items():
            agency_ticks[item_id][agency_id] = {
                option: len(ids) for option, ids in agency_options.items()
            }

    cases = len(cases_with_submitted)
    themes: dict[int, dict] = {}
    yes_partly_no: list[YesPartlyNoResult] = []
    checklists: list[ChecklistResult] = []
    for item in items:
        item_counts = counts.get(item.pk, {})
        if item.kind == Question.Kind.GRADE:
            theme = themes.setdefault(
                item.theme_id,
                {
                    "name": item.theme_name,
                    "by_agency": defaultdict(lambda: defaultdict(int)),
                    "moderated": [0, 0],
                },
            )
            for agency_id, values in item_counts.items():
                for value, n in values.items():
                    theme["by_agency"][agency_id][value] += n
            theme["moderated"][0] += moderated[item.pk][0]
            theme["moderated"][1] += moderated[item.pk][1]
        elif item.kind == Question.Kind.YES_PARTLY_NO:
            overall: dict[str, int] = defaultdict(int)
            for values in item_counts.values():
                for value, n in values.items():
                    overall[value] += n
            answers, not_applicable = _distribution(overall, YES_PARTLY_NO)
            yes_partly_no.append(
                YesPartlyNoResult(
                    item_id=item.pk,
                    text=item.text,
                    theme_id=item.theme_id,
                    theme_name=item.theme_name,
                    answers=answers,
                    not_applicable=not_applicable,
                    by_agency=_by_agency(agencies, item_counts, YES_PARTLY_NO),
                )
            )
        else:
            options = list(item.options or [])
            options += sorted(set(ticks.get(item.pk, {})) - set(options))
            checklists.append(
                ChecklistResult(
                    item_id=item.pk,
                    text=item.text,
                    theme_id=item.theme_id,
                    theme_name=item.theme_name,
                    cases=cases,
                    options=[
                        Figure(option, ticks.get(item.pk, {}).get(option, 0), cases)
                        for option in options
                    ],
                    by_agency=[
                        AgencyChecklist(
                            agency_id=agency.agency_id,
                            agency_name=agency.agency_name,
                            returns=submitted_by_agency.get(agency.agency_id, 0),
                            options=[
                                Figure(
                                    option,
                                    agency_ticks[item.pk][agency.agency_id].get(option, 0),
                                    submitted_by_agency.get(agency.agency_id, 0),
                                )
                                for option in options
                            ],
                        )
                        for agency in agencies
                    ],
                )
            )

    theme_results = []
    for theme_id, theme in themes.items():
        overall = defaultdict(int)
        for values in theme["by_agency"].values():
            for value, n in values.items():
                overall[value] += n
        grades, not_applicable = _distribution(overall, GRADES)
        theme_results.append(
            ThemeResult(
                theme_id=theme_id,
                theme_name=theme["name"],
                grades=grades,
                not_applicable=not_applicable,
                by_agency=_by_agency(agencies, theme["by_agency"], GRADES),
                agreement=Figure("Agreement", theme["moderated"][1], theme["moderated"][0]),
            )
        )

    total_moderated = sum(theme["moderated"][0] for theme in themes.values())
    total_agreed = sum(theme["moderated"][1] for theme in themes.values())
    return AuditResults(
        audit_id=audit.pk,
        use_moderated=use_moderated,
        cases=cases,
        cases_in_sample=len(cases_in_sample),
        completion=Figure(
            "All agencies",
            sum(row.submitted for row in completion_by_agency),
            sum(row.expected for row in completion_by_agency),
        ),
        completion_by_agency=completion_by_agency,
        agencies=agencies,
        themes=theme_results,
        yes_partly_no=yes_partly_no,
        checklists=checklists,
        agreement=Figure("Agreement", total_agreed, total_moderated),
    )


def _by_agency(
    agencies: list[AgencyRef], counts: dict[int, dict[str, int]], choices: list[tuple[str, str]]
) -> list[AgencyDistribution]:
    result = []
    for agency in agencies:
        figures, not_applicable = _distribution(counts.get(agency.agency_id, {}), choices)
        result.append(
            AgencyDistribution(agency.agency_id, agency.agency_name, figures, not_applicable)
        )
    return result


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
    answers = Answer.objects.filter(
        item__kind=Question.Kind.GRADE,
        audit_return__status=Return.Status.SUBMITTED,
        audit_return__audit__status__in=statuses,
    ).exclude(choice="")
    if themes is not None:
        theme_ids = [theme.pk for theme in themes]
        asked = asked.filter(theme_id__in=theme_ids)
        answers = answers.filter(item__theme_id__in=theme_ids)

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
    pairs = list(
        asked.values(
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
        )
    )
    if latest is not None:
        answers = answers.filter(
            audit_return__audit_id__in={pair["question_set__audits__id"] for pair in pairs}
        )
    rows = (
        answers.values("item__theme_id", "audit_return__audit_id", "choice", "moderated_choice")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        value = _effective(row["choice"], row["moderated_choice"], use_moderated)
        counts[(row["item__theme_id"], row["audit_return__audit_id"])][value] += row["n"]

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


# Actions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionSummary:
    total: int
    by_status: list[Figure]
    overdue: Figure


def action_summary(*, for_board: bool = False) -> ActionSummary:
    """Actions by status and how many are overdue (not done, past their due date): one
    query. Board members see the actions of published and closed audits only."""
    from findings.models import Action

    actions = Action.objects.all()
    if for_board:
        actions = actions.filter(audit__status__in=BOARD_STATUSES)
    today = timezone.localdate()
    totals = actions.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(due_date__lt=today) & ~Q(status=Action.Status.DONE)),
        **{
            f"status_{value}": Count("pk", filter=Q(status=value))
            for value, _ in Action.Status.choices
        },
    )
    total = totals["total"]
    return ActionSummary(
        total=total,
        by_status=[
            Figure(label, totals[f"status_{value}"], total)
            for value, label in Action.Status.choices
        ],
        overdue=Figure("Overdue", totals["overdue"], total),
    )
