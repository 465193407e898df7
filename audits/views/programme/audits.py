"""An audit's pages: scheduled, edited, shown, and moved along its status flow."""

import copy
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from auditportal import outbox
from auditportal.auditlog import access_log
from auditportal.forms import add_service_errors
from audits.forms import AuditForm, TransitionForm
from audits.models import Audit, Return
from audits.selectors import (
    audit_cases,
    audit_get_for_business_team,
    audit_opening_told,
    sample_spread,
)
from audits.services import programme as services

from .common import business_team_required

# Audits --------------------------------------------------------------------------------------


# Scheduling from a day of the calendar: returns open that day and are due this many days later.
RETURNS_WINDOW_DAYS = 21


def _dates_from(value: str) -> dict:
    """The form's dates for ?returns_open=YYYY-MM-DD (from the calendar); nothing if unreadable."""
    try:
        opens = datetime.date.fromisoformat(value)
    except ValueError:
        return {}
    return {"returns_open": opens, "returns_due": opens + datetime.timedelta(RETURNS_WINDOW_DAYS)}


@login_required
@require_http_methods(["GET", "POST"])
def audit_create(request: HttpRequest) -> HttpResponse:
    business_team_required(request)
    form = AuditForm(request.POST or None, initial=_dates_from(request.GET.get("returns_open", "")))
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.audit_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{audit.title}” is scheduled. Now add its cases.")
            return redirect("audits:case-add", audit.pk)
    return render(request, "audits/audit_form.html", {"form": form, "audit": None})


@login_required
@require_http_methods(["GET", "POST"])
def audit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    audit = audit_get_for_business_team(request.user, pk)
    # The form validates a copy: the service compares against the audit as it is.
    form = AuditForm(request.POST or None, instance=copy.copy(audit))
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if not form.fields[k].disabled}
        try:
            services.audit_update(audit=audit, actor=request.user, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The audit has been saved.")
            return redirect(audit)
    return render(request, "audits/audit_form.html", {"form": form, "audit": audit})


@login_required
@require_GET
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    audit = audit_get_for_business_team(request.user, pk)
    audit = (
        Audit.objects.select_related("question_set", "created_by")
        .filter(pk=audit.pk)
        .annotate(item_count=Count("question_set__items", distinct=True))
        .get()
    )
    cases = audit_cases(audit)
    access_log(actor=request.user, code="audit.sample_viewed", target=audit)
    return_counts = dict(
        Return.objects.filter(audit=audit)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    next_statuses = [
        (status, Audit.Status(status).label, status == services.BACKWARD.get(audit.status))
        for status in services.audit_next_statuses(audit)
    ]
    return render(
        request,
        "audits/audit_detail.html",
        {
            "audit": audit,
            "cases": cases,
            "spread": sample_spread(cases),
            "transitions": audit.transitions.select_related("actor"),
            "next_statuses": next_statuses,
            "return_summary": _return_summary(return_counts),
            "told": audit_opening_told(audit) if audit.opened_at else None,
            "cases_editable": audit.status in services.CASE_EDITABLE_STATUSES,
            "transition_form": TransitionForm(),
        },
    )


def _return_summary(counts: dict[str, int]) -> str:
    """ "6 returns: 4 not started, 2 submitted." (empty before the audit opens)."""
    total = sum(counts.values())
    if not total:
        return ""
    choices = Return.Status.choices
    parts = [f"{counts[value]} {label.lower()}" for value, label in choices if counts.get(value)]
    return f"{total} return{'' if total == 1 else 's'}: {', '.join(parts)}."


@login_required
@require_POST
def audit_transition(request: HttpRequest, pk: int) -> HttpResponse:
    audit = audit_get_for_business_team(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(audit)
    to_status = form.cleaned_data["to_status"]
    try:
        services.audit_transition(
            audit=audit, to_status=to_status, actor=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        message = f"The audit is now “{audit.get_status_display()}”."
        if outbox.is_waiting(outbox.ref_for(audit)):
            message += (
                " The e-mails to practitioners are queued: they will go when the queue is back."
            )
        messages.success(request, message)
    return redirect(audit)
