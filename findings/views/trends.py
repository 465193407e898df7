"""Trend pages across audits: the index, a theme's grades, one question's figures (grade,
yes / partly / no, checklist prevalence) and completion; overall and by agency, oldest first.
Board members see published and closed audits with the partnership's suppression and grade
basis; the business team sees every audit that has opened and may switch the basis."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.rules import is_business_team
from auditportal.access import require
from auditportal.compression import compressed_aggregate_page
from audits.models import Question, Theme
from cases.models import Partnership
from findings import grade_basis
from findings.charts import svg_data_uri, trend_chart_svg
from findings.results import theme_trend
from findings.trends.completion import completion_trend, theme_agency_points
from findings.trends.questions import TREND_KINDS, question_trend, questions_asked


def _audience(request: HttpRequest) -> tuple[bool, Partnership, bool, int]:
    """(for_board, partnership, use_moderated, suppress_below) for the user asking."""
    require(request.user, "findings.view_dashboard")
    for_board = not is_business_team.test(request.user)
    partnership = Partnership.load()
    board_moderated = grade_basis.board_uses_moderated(partnership)
    use_moderated = (
        board_moderated
        if for_board
        else grade_basis.from_request(request.GET.get("grades"), default=board_moderated)
    )
    suppress_below = partnership.suppression_threshold if for_board else 0
    return for_board, partnership, use_moderated, suppress_below


def _context(for_board: bool, use_moderated: bool, suppress_below: int) -> dict:
    return {
        "for_board": for_board,
        "use_moderated": use_moderated,
        "grade_caption": grade_basis.caption(use_moderated),
        "suppress_below": suppress_below,
    }


@login_required
@require_GET
@compressed_aggregate_page
def trend_index(request: HttpRequest) -> HttpResponse:
    for_board, _, use_moderated, suppress_below = _audience(request)
    questions = questions_asked(for_board=for_board)
    themes: dict[int, dict] = {}
    for row in questions:
        theme = themes.setdefault(
            row["question__theme_id"],
            {"id": row["question__theme_id"], "name": row["question__theme__name"], "rows": []},
        )
        theme["rows"].append(row)
    return render(
        request,
        "findings/trend_index.html",
        {"themes": list(themes.values()), **_context(for_board, use_moderated, suppress_below)},
    )


@login_required
@require_GET
@compressed_aggregate_page
def trend(request: HttpRequest, pk: int) -> HttpResponse:
    """A theme's grades in every audit that asked a grade question of it, overall and by
    agency; a theme with no grade question lists its other questions' trends instead."""
    for_board, _, use_moderated, suppress_below = _audience(request)
    theme = get_object_or_404(Theme.objects.all(), pk=pk)
    points = theme_trend(theme=theme, for_board=for_board, use_moderated=use_moderated)
    by_agency = (
        theme_agency_points(
            theme=theme, points=points, for_board=for_board, use_moderated=use_moderated
        )
        if points
        else {}
    )
    chart = (
        svg_data_uri(
            trend_chart_svg(
                points,
                title=f"{theme.name} across audits ({grade_basis.short_label(use_moderated)})",
                suppress_below=suppress_below,
            )
        )
        if points
        else ""
    )
    return render(
        request,
        "findings/trend.html",
        {
            "theme": theme,
            "points": points,
            "agency_points": [(point, by_agency.get(point.audit_id, [])) for point in points],
            "chart": chart,
            "questions": questions_asked(for_board=for_board, theme_id=theme.pk),
            **_context(for_board, use_moderated, suppress_below),
        },
    )


@login_required
@require_GET
@compressed_aggregate_page
def question_trend_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One question's figures in every audit that asked it (an edited wording is shown as
    such); a question no audit has asked yet says so."""
    for_board, _, use_moderated, suppress_below = _audience(request)
    question = get_object_or_404(
        Question.objects.select_related("theme").filter(kind__in=TREND_KINDS), pk=pk
    )
    trend = question_trend(question=question, for_board=for_board, use_moderated=use_moderated)
    return render(
        request,
        "findings/question_trend.html",
        {
            "question": question,
            "trend": trend,
            "is_checklist": question.kind == Question.Kind.CHECKLIST,
            "is_grade": question.kind == Question.Kind.GRADE,
            **_context(for_board, use_moderated, suppress_below),
        },
    )


@login_required
@require_GET
@compressed_aggregate_page
def completion_trend_page(request: HttpRequest) -> HttpResponse:
    for_board, _, use_moderated, suppress_below = _audience(request)
    return render(
        request,
        "findings/completion_trend.html",
        {
            "points": completion_trend(for_board=for_board),
            **_context(for_board, use_moderated, suppress_below),
        },
    )
