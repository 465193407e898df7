"""Re-audits: "Check with a re-audit" from an action or a finding, and the re-audit's
"Did practice change?" page (before → after beside the actions it tests)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from auditportal.access import require
from audits.models import Audit
from audits.selectors import audit_get_for_business_team
from cases.models import Partnership
from findings import grade_basis
from findings.models import Action, Finding, ReAudit
from findings.reaudit_forms import ReAuditForm
from findings.reaudit_results import SMALL_NUMBER, reaudit_comparison
from findings.reaudits import reaudit_refusal, reaudit_schedule, reaudit_themes
from findings.selectors import action_get_for_user, finding_get_for_user


def _schedule_page(
    request: HttpRequest, *, source: Audit, actions: list[Action], finding: Finding | None
) -> HttpResponse:
    refusal = reaudit_refusal(source)
    if request.method == "POST":
        form = ReAuditForm(request.POST, source=source)
        if form.is_valid():
            try:
                reaudit = reaudit_schedule(
                    source=source,
                    actor=request.user,
                    actions=list(form.cleaned_data["actions"]),
                    title=form.cleaned_data["title"],
                    returns_open=form.cleaned_data["returns_open"],
                    returns_due=form.cleaned_data["returns_due"],
                    same_children=form.cleaned_data["same_children"],
                    finding=finding,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    f"Re-audit scheduled (planned): {reaudit.audit.title}. "
                    + (
                        "The same children are in its sample; open it when ready."
                        if reaudit.same_children
                        else "Add its children under Cases and sample, then open it."
                    ),
                )
                return redirect("audits:audit-detail", pk=reaudit.audit.pk)
        status = 400
    else:
        form = ReAuditForm(initial=ReAuditForm.initial_for(source, actions), source=source)
        status = 200
    return render(
        request,
        "findings/reaudit_form.html",
        {
            "form": form,
            "source": source,
            "refusal": refusal,
            "finding": finding,
            "themes": reaudit_themes(audit=source, actions=actions, finding=finding),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_reaudit(request: HttpRequest, pk: int) -> HttpResponse:
    action = action_get_for_user(request.user, pk)
    require(request.user, "findings.manage_findings", action)
    source = action.audit
    return _schedule_page(request, source=source, actions=[action], finding=None)


@login_required
@require_http_methods(["GET", "POST"])
def finding_reaudit(request: HttpRequest, pk: int) -> HttpResponse:
    finding = finding_get_for_user(request.user, pk)
    require(request.user, "findings.manage_findings", finding)
    actions = list(finding.actions.all())
    return _schedule_page(request, source=finding.audit, actions=actions, finding=finding)


@login_required
@require_GET
def reaudit_results(request: HttpRequest, pk: int) -> HttpResponse:
    audit = audit_get_for_business_team(request.user, pk)
    require(request.user, "findings.view_results", audit)
    reaudit = get_object_or_404(
        ReAudit.objects.select_related("source_audit", "audit").prefetch_related(
            "themes", "actions"
        ),
        audit=audit,
    )
    use_moderated = grade_basis.from_request(
        request.GET.get("grades"), default=grade_basis.board_uses_moderated(Partnership.load())
    )
    comparison = reaudit_comparison(reaudit, use_moderated=use_moderated)
    return render(
        request,
        "findings/reaudit_results.html",
        {
            "audit": audit,
            "reaudit": reaudit,
            "comparison": comparison,
            "grade_caption": grade_basis.caption(use_moderated),
            "small_number": SMALL_NUMBER,
        },
    )
