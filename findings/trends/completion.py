"""Completion and a theme's grades by agency across audits, oldest first."""

from collections import defaultdict

from django.db.models import Count, Q

from auditportal.figures import Figure
from audits.models import Answer, Question, Return, Theme
from findings.results import BOARD_STATUSES, GRADES, TREND_STATUSES, TrendPoint

from .points import AgencyFigures, Point, agency_distributions, choice_counts


def completion_trend(*, for_board: bool = False) -> list[Point]:
    """Returns submitted of returns expected in each audit, overall and by agency: one query
    (a row per audit and agency)."""
    statuses = BOARD_STATUSES if for_board else TREND_STATUSES
    rows = (
        Return.objects.filter(audit__status__in=statuses)
        .values_list("audit_id", "audit__title", "audit__returns_open", "agency_id", "agency__name")
        .annotate(
            expected=Count("pk"), submitted=Count("pk", filter=Q(status=Return.Status.SUBMITTED))
        )
        .order_by("audit__returns_open", "audit_id", "agency__name", "agency_id")
    )
    audits: dict[int, dict] = {}
    for audit_id, title, returns_open, agency_id, agency_name, expected, submitted in rows:
        audit = audits.setdefault(
            audit_id,
            {
                "title": title,
                "returns_open": returns_open,
                "expected": 0,
                "submitted": 0,
                "rows": [],
            },
        )
        audit["expected"] += expected
        audit["submitted"] += submitted
        audit["rows"].append(
            AgencyFigures(agency_id, agency_name, [Figure("Submitted", submitted, expected)])
        )
    return [
        Point(
            audit_id=audit_id,
            audit_title=audit["title"],
            returns_open=audit["returns_open"],
            figures=[Figure("Submitted", audit["submitted"], audit["expected"])],
            by_agency=audit["rows"],
            denominator=audit["expected"],
        )
        for audit_id, audit in audits.items()
    ]


def theme_agency_points(
    *, theme: Theme, points: list[TrendPoint], for_board: bool = False, use_moderated: bool = False
) -> dict[int, list[AgencyFigures]]:
    """Audit id -> the theme's grades agency by agency, for the audits of its trend: one
    query."""
    statuses = BOARD_STATUSES if for_board else TREND_STATUSES
    rows = (
        Answer.objects.filter(
            item__theme=theme,
            item__kind=Question.Kind.GRADE,
            audit_return__status=Return.Status.SUBMITTED,
            audit_return__audit__status__in=statuses,
            audit_return__audit_id__in=[point.audit_id for point in points],
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
    _, by_agency, names = choice_counts(rows, use_moderated=use_moderated)
    result: dict[int, list[AgencyFigures]] = defaultdict(list)
    for audit_id, counts in by_agency.items():
        result[audit_id] = agency_distributions(counts, names, GRADES)
    return result
