"""An audit's findings: listed, written, edited, deleted, ordered, promoted from an answer, and
agreed (the audit moves from moderation to findings agreed)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from auditportal.auditlog import access_log
from auditportal.forms import add_service_errors
from findings import selectors, services
from findings.forms import FindingForm
from findings.models import Action, Finding

from .common import _findings_url


def _finding_fields(data: dict) -> dict:
    """The finding services' keyword arguments from a valid FindingForm."""
    return {key: data[key] for key in ("kind", "theme", "text", "agencies", "source_returns")}


# ---------------------------------------------------------------------------------------------
# Findings


@login_required
@require_GET
def finding_list(request: HttpRequest, audit_pk: int) -> HttpResponse:
    audit = selectors.audit_get_for_business(request.user, audit_pk)
    findings = list(selectors.findings_of_audit(audit))
    actions = list(selectors.actions_of_audit(audit))
    today = timezone.localdate()
    access_log(actor=request.user, code="audit.findings_viewed", target=audit)
    return render(
        request,
        "findings/finding_list.html",
        {
            "audit": audit,
            "strengths": selectors.group_by_theme(
                [f for f in findings if f.kind == Finding.Kind.STRENGTH]
            ),
            "developments": selectors.group_by_theme(
                [f for f in findings if f.kind == Finding.Kind.DEVELOPMENT]
            ),
            "finding_count": len(findings),
            "will_do": [a for a in actions if a.section == Action.Section.WILL_DO],
            "next_steps": [a for a in actions if a.section == Action.Section.NEXT_STEP],
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_create(request: HttpRequest, audit_pk: int) -> HttpResponse:
    audit = selectors.audit_get_for_business(request.user, audit_pk)
    kind = request.GET.get("kind")
    initial = {"kind": kind if kind in Finding.Kind.values else Finding.Kind.STRENGTH}
    form = FindingForm(
        request.POST if request.method == "POST" else None, audit=audit, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            finding = services.finding_create(
                audit=audit, **_finding_fields(data), actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Finding added.")
            return redirect(_findings_url(audit.pk, f"finding-{finding.pk}"))
    access_log(actor=request.user, code="audit.findings_viewed", target=audit)
    return render(
        request, "findings/finding_form.html", {"audit": audit, "form": form, "finding": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_update(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.finding_get_for_user(request.user, pk)
    audit = finding.audit
    initial = {
        "kind": finding.kind,
        "theme": finding.theme_id,
        "text": finding.text,
        "agencies": list(finding.agencies.all()),
        "source_returns": list(finding.source_returns.all()),
    }
    form = FindingForm(
        request.POST if request.method == "POST" else None,
        audit=audit,
        current_theme=finding.theme,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.finding_update(finding=finding, **_finding_fields(data), actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Finding saved.")
            return redirect(_findings_url(audit.pk, f"finding-{finding.pk}"))
    access_log(actor=request.user, code="finding.viewed", target=finding)
    return render(
        request,
        "findings/finding_form.html",
        {"audit": audit, "form": form, "finding": finding},
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_delete(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.finding_get_for_user(request.user, pk)
    audit = finding.audit
    if request.method == "POST":
        services.finding_delete(finding=finding, actor=request.user)
        messages.success(request, "Finding deleted.")
        return redirect(_findings_url(audit.pk))
    return render(
        request, "findings/finding_confirm_delete.html", {"audit": audit, "finding": finding}
    )


@login_required
@require_POST
def finding_move(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.finding_get_for_user(request.user, pk)
    try:
        services.finding_move(
            finding=finding, direction=request.POST.get("direction", ""), actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_findings_url(finding.audit_id, f"finding-{finding.pk}"))


@login_required
@require_POST
def finding_promote(request: HttpRequest, answer_pk: int) -> HttpResponse:
    """One click beside an evidence text: a new finding prefilled from it, then edit it."""
    answer = selectors.answer_get_for_promotion(request.user, answer_pk)
    try:
        finding = services.finding_promote_from_answer(
            answer=answer, kind=request.POST.get("kind") or None, actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_findings_url(answer.audit_return.audit_id))
    messages.success(
        request, "Finding created from the evidence text. Edit it so it reads well in a briefing."
    )
    return redirect("findings:finding-update", pk=finding.pk)


@login_required
@require_POST
def findings_agree(request: HttpRequest, audit_pk: int) -> HttpResponse:
    """The audit page's "Move to Findings agreed" button posts here: the findings layer
    checks its precondition, then the audit's service moves the audit on."""
    audit = selectors.audit_get_for_business(request.user, audit_pk)
    try:
        services.findings_agree(audit=audit, actor=request.user, note=request.POST.get("note", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"The audit is now “{audit.get_status_display()}”.")
    return redirect(audit)
