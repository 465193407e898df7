"""Actions: written against findings, edited, deleted, shown, and the action tracker."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from auditportal.access import allowed, require
from auditportal.forms import add_service_errors
from findings import selectors, services
from findings.forms import ActionForm, ActionStatusForm, TrackerFilterForm
from findings.models import Action

from .common import _findings_url

TRACKER_PAGE_SIZE = 25


def _action_fields(data: dict) -> dict:
    """The action services' keyword arguments from a valid ActionForm (owner is a pair)."""
    owner_agency, owner_subgroup = data["owner"]
    return {
        "text": data["text"],
        "section": data["section"],
        "owner_agency": owner_agency,
        "owner_subgroup": owner_subgroup,
        "due_date": data["due_date"],
        "findings": data["findings"],
    }


# ---------------------------------------------------------------------------------------------
# Actions


def _action_initial(action: Action) -> dict:
    owner = (
        f"agency-{action.owner_agency_id}"
        if action.owner_agency_id
        else f"subgroup-{action.owner_subgroup_id}"
    )
    return {
        "text": action.text,
        "section": action.section,
        "owner": owner,
        "due_date": action.due_date,
        "findings": list(action.findings.all()),
    }


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, audit_pk: int) -> HttpResponse:
    audit = selectors.audit_get_for_business(request.user, audit_pk)
    section = request.GET.get("section")
    initial = {"section": section if section in Action.Section.values else Action.Section.WILL_DO}
    form = ActionForm(
        request.POST if request.method == "POST" else None, audit=audit, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.action_create(audit=audit, **_action_fields(data), actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Action added.")
            return redirect(_findings_url(audit.pk, f"action-{action.pk}"))
    return render(
        request, "findings/action_form.html", {"audit": audit, "form": form, "action": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get_for_user(request.user, pk, write=True)
    audit = action.audit
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        audit=audit,
        action=action,
        initial=_action_initial(action),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_update(action=action, **_action_fields(data), actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Action saved.")
            return redirect(_findings_url(audit.pk, f"action-{action.pk}"))
    return render(
        request, "findings/action_form.html", {"audit": audit, "form": form, "action": action}
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_delete(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get_for_user(request.user, pk, write=True)
    audit = action.audit
    if request.method == "POST":
        services.action_delete(action=action, actor=request.user)
        messages.success(request, "Action deleted.")
        return redirect(_findings_url(audit.pk))
    return render(
        request, "findings/action_confirm_delete.html", {"audit": audit, "action": action}
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One action; its status form for the business team and the owning agency's lead."""
    action = selectors.action_get_for_user(request.user, pk)
    can_update = selectors.action_can_update_status(request.user, action)
    form = None
    if can_update:
        form = ActionStatusForm(
            request.POST if request.method == "POST" else None,
            initial={"status": action.status, "completion_evidence": action.completion_evidence},
        )
    if request.method == "POST":
        require(request.user, "findings.update_action_status", action)
        if form.is_valid():
            try:
                services.action_set_status(
                    action=action,
                    status=form.cleaned_data["status"],
                    completion_evidence=form.cleaned_data["completion_evidence"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Status saved: {action.get_status_display()}.")
                return redirect("findings:action-detail", pk=action.pk)
    business = allowed(request.user, "findings.manage_findings")
    linked = action.findings.select_related("theme").all() if business else []
    return render(
        request,
        "findings/action_detail.html",
        {
            "action": action,
            "form": form,
            "linked_findings": linked,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def action_tracker(request: HttpRequest) -> HttpResponse:
    require(request.user, "findings.view_action_tracker")
    owner_choices = selectors.owner_choices(request.user)
    form = TrackerFilterForm(request.GET or None, owner_choices=owner_choices)
    filters = form.cleaned_data if form.is_valid() else {}
    actions = selectors.action_tracker(
        request.user,
        owner=filters.get("owner", ""),
        status=filters.get("status", ""),
        overdue=filters.get("overdue", False),
        search=filters.get("q", ""),
        sort=filters.get("sort") or "due",
    )
    page = Paginator(actions, TRACKER_PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "findings/action_tracker.html",
        {
            "form": form,
            # The owner <select> is written out by a plain loop in the template: Django's
            # widget renders a sub-template per option, and every agency and sub-group of
            # the partnership is an option.
            "owner_choices": owner_choices,
            "owner_selected": form["owner"].value() or "",
            "page": page,
            "query": urlencode(query),
            "filtered": bool(query),
            "today": timezone.localdate(),
        },
    )
