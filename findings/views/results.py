"""Results, moderation, exports, trend and the board dashboard."""

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods

from accounts.rules import is_business_team
from auditportal.access import require
from auditportal.auditlog import access_log, audit_log
from auditportal.compression import compressed_aggregate_page
from audits.models import Answer, Audit
from audits.selectors import audit_get_for_business_team, audits_visible_to, returns_visible_to
from cases.models import Partnership
from findings import exports, grade_basis
from findings.benchmarks import MIN_PARTNERSHIPS, theme_benchmarks
from findings.charts import grade_chart_svg, svg_data_uri, svg_inline, trend_chart_svg
from findings.evidence import (
    ThemeEvidenceCount,
    audit_theme_name,
    evidence_counts_by_theme,
    theme_evidence_answers,
)
from findings.models import ReAudit
from findings.moderation import MODERATION_STATUSES, answer_can_be_moderated, answer_moderate
from findings.reaudit_results import practice_change_rows
from findings.results import (
    TREND_STATUSES,
    AgencyDistribution,
    action_summary,
    audit_results,
    theme_trends,
)
from findings.results.agreed import agreed_theme_results
from findings.results_forms import ModerationForm


def _business_team_only(request: HttpRequest) -> None:
    require(request.user, "findings.view_results")


def _audit_for_results(request: HttpRequest, pk: int) -> Audit:
    """404 when the audit is not visible to the user, 403 when visible but not theirs."""
    audit = audit_get_for_business_team(request.user, pk)
    require(request.user, "findings.view_results", audit)
    return audit


AGREED_CAPTION = (
    "Grade basis: agreed case grades, one per child and theme, as the moderation meeting "
    "agreed them on the child's page."
)


def _use_moderated(request: HttpRequest, board_moderated: bool | None = None) -> bool:
    """The page's switch (?grades=agency|moderated), else the partnership's grade basis."""
    if board_moderated is None:
        board_moderated = grade_basis.board_uses_moderated()
    return grade_basis.from_request(request.GET.get("grades"), default=board_moderated)


@login_required
@require_GET
@compressed_aggregate_page
def results(request: HttpRequest, pk: int) -> HttpResponse:
    audit = _audit_for_results(request, pk)
    use_agreed = request.GET.get("grades") == "agreed"
    board_moderated = grade_basis.board_uses_moderated()
    use_moderated = _use_moderated(request, board_moderated)
    figures = audit_results(audit=audit, use_moderated=use_moderated)
    if use_agreed:
        # One grade per child and theme, as the moderation meeting agreed it.
        figures = dataclasses.replace(
            figures, themes=agreed_theme_results(audit=audit, themes=figures.themes)
        )
    # Counts only: a theme's evidence texts load when asked (results_evidence below).
    evidence_counts = {group.theme_id: group for group in evidence_counts_by_theme(audit=audit)}
    grades_label = (
        "agreed case grades"
        if use_agreed
        else "moderated grades"
        if use_moderated
        else "agency grades"
    )

    # Each theme's grades by agency (a chart and a table) load when opened:
    # results_theme_agencies below.
    themes = []
    for theme in figures.themes:
        counted = evidence_counts.get(theme.theme_id)
        themes.append({"result": theme, "evidence_count": counted.count if counted else 0})
    # Evidence of themes without grade questions still needs reading at moderation.
    graded = {theme.theme_id for theme in figures.themes}
    other_evidence = _ungraded_evidence(evidence_counts, graded)

    # Re-audits both ways (one query): the audit it re-audits, and the audits re-auditing it.
    links = list(
        ReAudit.objects.filter(Q(audit=audit) | Q(source_audit=audit)).select_related("audit")
    )
    overview_chart = (
        svg_data_uri(grade_chart_svg(figures.themes, title=f"Grades by theme ({grades_label})"))
        if figures.themes
        else ""
    )
    return render(
        request,
        "findings/results.html",
        {
            "audit": audit,
            "figures": figures,
            "themes": themes,
            "other_evidence": other_evidence,
            "overview_chart": overview_chart,
            "grades_label": grades_label,
            "grade_caption": AGREED_CAPTION if use_agreed else grade_basis.caption(use_moderated),
            "board_moderated": board_moderated,
            "is_reaudit": any(link.audit_id == audit.pk for link in links),
            "reaudits": [link for link in links if link.source_audit_id == audit.pk],
            "use_moderated": use_moderated,
            "use_agreed": use_agreed,
            "can_moderate": audit.status in MODERATION_STATUSES,
        },
    )


def _part_or_page(request: HttpRequest, part: str, page: str, context: dict) -> HttpResponse:
    """The part alone for htmx (the results page loads it into itself when opened), or a page
    of its own without JavaScript; caches keep the two apart (Vary: HX-Request)."""
    response = render(request, part if request.headers.get("HX-Request") else page, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _theme_agencies_chart(theme, grades_label: str) -> str:
    rows = [
        AgencyDistribution(0, "All agencies", theme.grades, theme.not_applicable),
        *[row for row in theme.by_agency if row.answered or row.not_applicable],
    ]
    return svg_data_uri(grade_chart_svg(rows, title=f"{theme.theme_name}: {grades_label}"))


@login_required
@require_GET
@compressed_aggregate_page
def results_theme_agencies(request: HttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    """One theme's grades by agency, a chart and its table: the part alone for htmx (the
    results page loads it when the theme's breakdown is opened), a page of its own otherwise
    (no JavaScript). Figures only, like the results page: no access row."""
    audit = _audit_for_results(request, pk)
    use_moderated = _use_moderated(request)
    figures = audit_results(audit=audit, use_moderated=use_moderated)
    theme = next((t for t in figures.themes if t.theme_id == theme_pk), None)
    if theme is None:
        raise Http404("The audit asks no grade question of this theme")
    grades_label = "moderated grades" if use_moderated else "agency grades"
    context = {
        "audit": audit,
        "theme": theme,
        "chart": _theme_agencies_chart(theme, grades_label),
        "grades_label": grades_label,
        "use_moderated": use_moderated,
    }
    return _part_or_page(
        request,
        "findings/results_theme_agencies.html",
        "findings/results_theme_agencies_page.html",
        context,
    )


def _ungraded_evidence(
    evidence_counts: dict[int, ThemeEvidenceCount], graded: set[int]
) -> list[ThemeEvidenceCount]:
    return [group for theme_id, group in evidence_counts.items() if theme_id not in graded]


@login_required
@require_GET
def results_evidence(request: HttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    """One theme's evidence texts: the list alone for htmx (the results page loads it when a
    theme's evidence is opened), a page of its own otherwise (no JavaScript, moderation's
    way back)."""
    audit = _audit_for_results(request, pk)
    theme_name = audit_theme_name(audit=audit, theme_pk=theme_pk)
    if theme_name is None:
        raise Http404("The audit asks no question of this theme")
    context = {
        "audit": audit,
        "theme_id": theme_pk,
        "theme_name": theme_name,
        "answers": theme_evidence_answers(audit=audit, theme_pk=theme_pk),
    }
    access_log(
        actor=request.user, code="audit.evidence_viewed", target=audit, changes={"theme": theme_pk}
    )
    return _part_or_page(
        request, "findings/results_evidence.html", "findings/results_theme_evidence.html", context
    )


def _export_name(audit: Audit, what: str, fmt: str) -> str:
    return exports.export_filename(audit=audit, what=what, fmt=fmt, on=timezone.localdate())


def _export_response(content: bytes, *, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _check_format(fmt: str) -> None:
    if fmt not in exports.FORMATS:
        raise Http404("Unknown export format")


@login_required
@require_GET
def results_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    audit = _audit_for_results(request, pk)
    _check_format(fmt)
    use_moderated = _use_moderated(request)
    use_agreed = request.GET.get("grades") == "agreed"
    figures = audit_results(audit=audit, use_moderated=use_moderated)
    if use_agreed:  # as the results page: one grade per child and theme
        figures = dataclasses.replace(
            figures, themes=agreed_theme_results(audit=audit, themes=figures.themes)
        )
    content = exports.render(
        exports.results_rows(figures, agreed=use_agreed), fmt=fmt, sheet_title="Results"
    )
    basis = "agreed" if use_agreed else "moderated" if use_moderated else "agency"
    audit_log(
        actor=request.user,
        code="audit.results_exported",
        target=audit,
        changes={"format": fmt, "grades": basis},
    )
    what = {
        "agreed": "results-agreed-case-grades",
        "moderated": "results-moderated-grades",
        "agency": "results-agency-grades",
    }[basis]
    return _export_response(content, filename=_export_name(audit, what, fmt), fmt=fmt)


@login_required
@require_GET
def answers_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    audit = _audit_for_results(request, pk)
    _check_format(fmt)
    content = exports.render(exports.answers_rows(audit=audit), fmt=fmt, sheet_title="Answers")
    audit_log(
        actor=request.user,
        code="audit.answers_exported",
        target=audit,
        changes={"format": fmt},
    )
    return _export_response(content, filename=_export_name(audit, "answers", fmt), fmt=fmt)


@login_required
@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    _business_team_only(request)
    answer = get_object_or_404(
        Answer.objects.filter(audit_return__in=returns_visible_to(request.user)).select_related(
            "item", "audit_return__audit", "audit_return__case", "audit_return__agency"
        ),
        pk=pk,
    )
    audit = answer.audit_return.audit
    # Back to the theme's evidence, where the moderator reads on from this answer.
    back = (
        reverse("findings:results-evidence", args=[audit.pk, answer.item.theme_id])
        + f"#answer-{answer.pk}"
    )
    if request.method == "POST":
        form = ModerationForm(request.POST)
        if form.is_valid():
            try:
                answer_moderate(
                    answer=answer,
                    moderated_choice=form.cleaned_data["moderated_choice"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    "Moderated grade recorded."
                    if form.cleaned_data["moderated_choice"]
                    else "Moderated grade cleared: the agency's grade counts.",
                )
                return redirect(back)
        status = 400
    else:
        form = ModerationForm(
            initial={
                "moderated_choice": answer.moderated_choice,
                "reason": answer.moderation_reason,
            }
        )
        status = 200
    access_log(actor=request.user, code="answer.viewed", target=answer)
    return render(
        request,
        "findings/moderate.html",
        {
            "answer": answer,
            "audit": audit,
            "form": form,
            "back": back,
            "can_moderate": answer_can_be_moderated(answer),
        },
        status=status,
    )


def _board_or_business(request: HttpRequest) -> bool:
    """True for a board member (board-facing: published audits, suppression applied)."""
    require(request.user, "findings.view_dashboard")
    return not is_business_team.test(request.user)


# Each theme's chart on the dashboard shows its latest audits: a readable chart, and a page
# whose cost does not grow with years of history (docs/benchmarks.md). The theme's trend
# page (findings:trend) still shows every audit.
DASHBOARD_TREND_AUDITS = 10
# The business team's list of audits with results: the latest ones; the programme (paged,
# searchable) has every audit.
DASHBOARD_RECENT_AUDITS = 12


@login_required
@require_GET
@compressed_aggregate_page
def dashboard(request: HttpRequest) -> HttpResponse:
    for_board = _board_or_business(request)
    # The dashboard is board-facing for everyone: small numbers are suppressed for all.
    partnership = Partnership.load()
    suppress_below = partnership.suppression_threshold
    # The partnership's one grade basis, as in its published briefings.
    use_moderated = grade_basis.board_uses_moderated(partnership)
    basis_words = grade_basis.short_label(use_moderated)
    trends = [
        {
            "trend": trend,
            "chart": svg_inline(
                trend_chart_svg(
                    trend.points,
                    title=f"{trend.theme_name} across audits ({basis_words})",
                    suppress_below=suppress_below,
                    label=f"Bar chart of {trend.theme_name} grades in each audit, oldest "
                    "first. The same figures are in the table beside it.",
                )
            ),
        }
        for trend in theme_trends(
            for_board=for_board, latest=DASHBOARD_TREND_AUDITS, use_moderated=use_moderated
        )
    ]
    audits = (
        []
        if for_board
        else list(
            audits_visible_to(request.user)
            .filter(status__in=TREND_STATUSES)
            .order_by("-returns_open", "title")[:DASHBOARD_RECENT_AUDITS]
        )
    )
    return render(
        request,
        "findings/dashboard.html",
        {
            "trends": trends,
            "actions": action_summary(for_board=for_board),
            "suppress_below": suppress_below,
            "grade_caption": grade_basis.caption(use_moderated),
            "practice_changes": practice_change_rows(
                for_board=for_board, use_moderated=use_moderated
            ),
            "for_board": for_board,
            "audits": audits,
            "today": timezone.localdate(),
            # Opted in to benchmarking: its figures beside the partnerships' medians.
            "benchmarks": theme_benchmarks(request.partnership),  # type: ignore[attr-defined]
            "min_partnerships": MIN_PARTNERSHIPS,
        },
    )
