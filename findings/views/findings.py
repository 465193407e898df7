"""Findings, actions and the action tracker, sub-groups, engagement, quotes, resources.

Each view loads through a selector (which refuses other roles), validates with a form, calls a
service and redirects; a service's ValidationError is shown on the form, nothing is saved.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from auditportal.access import allowed, require
from auditportal.auditlog import access_log
from auditportal.forms import add_service_errors
from findings import selectors, services
from findings.forms import (
    ActionForm,
    ActionStatusForm,
    EngagementForm,
    FindingForm,
    QuoteForm,
    ResourceForm,
    SubGroupForm,
    TrackerFilterForm,
)
from findings.models import Action, Finding, Resource

TRACKER_PAGE_SIZE = 25


def _finding_fields(data: dict) -> dict:
    """The finding services' keyword arguments from a valid FindingForm."""
    return {key: data[key] for key in ("kind", "theme", "text", "agencies", "source_returns")}


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


def _findings_url(audit_pk: int, anchor: str = "") -> str:
    url = reverse("findings:finding-list", args=[audit_pk])
    return f"{url}#{anchor}" if anchor else url


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


# ---------------------------------------------------------------------------------------------
# Sub-groups


@login_required
@require_GET
def subgroup_list(request: HttpRequest) -> HttpResponse:
    subgroups = selectors.subgroups_visible_to(request.user).order_by("-active", "name")
    return render(request, "findings/subgroup_list.html", {"subgroups": subgroups})


@login_required
@require_http_methods(["GET", "POST"])
def subgroup_create(request: HttpRequest) -> HttpResponse:
    selectors.require_business_team(request.user)
    form = SubGroupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.subgroup_create(**form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Sub-group added.")
            return redirect("findings:subgroup-list")
    return render(request, "findings/subgroup_form.html", {"form": form, "subgroup": None})


@login_required
@require_http_methods(["GET", "POST"])
def subgroup_update(request: HttpRequest, pk: int) -> HttpResponse:
    subgroup = selectors.subgroup_get_for_user(request.user, pk)
    form = SubGroupForm(
        request.POST if request.method == "POST" else None,
        initial=model_to_dict(subgroup, fields=["name", "lead_name", "lead_email"]),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.subgroup_update(subgroup=subgroup, **form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Sub-group saved.")
            return redirect("findings:subgroup-list")
    return render(request, "findings/subgroup_form.html", {"form": form, "subgroup": subgroup})


@login_required
@require_POST
def subgroup_retire(request: HttpRequest, pk: int) -> HttpResponse:
    """Retire an active sub-group, or reinstate a retired one."""
    subgroup = selectors.subgroup_get_for_user(request.user, pk)
    services.subgroup_set_active(subgroup=subgroup, active=not subgroup.active, actor=request.user)
    state = "reinstated" if subgroup.active else "retired"
    messages.success(request, f"{subgroup.name} {state}.")
    return redirect("findings:subgroup-list")


# ---------------------------------------------------------------------------------------------
# Engagement and quotes


@login_required
@require_http_methods(["GET", "POST"])
def engagement(request: HttpRequest, audit_pk: int) -> HttpResponse:
    audit = selectors.audit_get_for_business(request.user, audit_pk)
    current = selectors.engagement_of(audit)
    initial = (
        {
            "cyp_shared": current.cyp_shared,
            "cyp_responses": current.cyp_responses,
            "parent_shared": current.parent_shared,
            "parent_responses": current.parent_responses,
            "notes": current.notes,
        }
        if current
        else {"cyp_shared": 0, "cyp_responses": 0, "parent_shared": 0, "parent_responses": 0}
    )
    form = EngagementForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_save(audit=audit, **form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Survey figures saved.")
            return redirect("findings:engagement", audit_pk=audit.pk)
    return render(
        request,
        "findings/engagement.html",
        {
            "audit": audit,
            "form": form,
            "figures": selectors.engagement_figures(current),
            "quotes": list(selectors.quotes_of_audit(audit)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def quote_create(request: HttpRequest, audit_pk: int) -> HttpResponse:
    audit = selectors.audit_get_for_business(request.user, audit_pk)
    form = QuoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.quote_create(audit=audit, **form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Quote added.")
            return redirect(reverse("findings:engagement", args=[audit.pk]) + "#quotes")
    return render(
        request, "findings/quote_form.html", {"audit": audit, "form": form, "quote": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def quote_update(request: HttpRequest, pk: int) -> HttpResponse:
    quote = selectors.quote_get_for_user(request.user, pk)
    form = QuoteForm(
        request.POST if request.method == "POST" else None,
        initial={"text": quote.text, "source_label": quote.source_label, "consent": quote.consent},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.quote_update(quote=quote, **form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Quote saved.")
            return redirect(reverse("findings:engagement", args=[quote.audit_id]) + "#quotes")
    return render(
        request, "findings/quote_form.html", {"audit": quote.audit, "form": form, "quote": quote}
    )


@login_required
@require_http_methods(["GET", "POST"])
def quote_delete(request: HttpRequest, pk: int) -> HttpResponse:
    quote = selectors.quote_get_for_user(request.user, pk)
    if request.method == "POST":
        services.quote_delete(quote=quote, actor=request.user)
        messages.success(request, "Quote deleted.")
        return redirect(reverse("findings:engagement", args=[quote.audit_id]) + "#quotes")
    return render(
        request, "findings/quote_confirm_delete.html", {"audit": quote.audit, "quote": quote}
    )


@login_required
@require_POST
def quote_move(request: HttpRequest, pk: int) -> HttpResponse:
    quote = selectors.quote_get_for_user(request.user, pk)
    try:
        services.quote_move(
            quote=quote, direction=request.POST.get("direction", ""), actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("findings:engagement", args=[quote.audit_id]) + f"#quote-{quote.pk}")


# ---------------------------------------------------------------------------------------------
# Resources


@login_required
@require_GET
def resource_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    resources = selectors.resources_visible_to(request.user, search=search, kind=kind)
    return render(
        request,
        "findings/resource_list.html",
        {
            "resources": resources,
            "search": search,
            "kind": kind,
            "kinds": Resource.Kind.choices,
            "filtered": bool(search or kind in Resource.Kind.values),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def resource_create(request: HttpRequest) -> HttpResponse:
    selectors.require_business_team(request.user)
    form = ResourceForm(
        request.POST if request.method == "POST" else None, initial={"active": True}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_create(**form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Resource added.")
            return redirect("findings:resource-list")
    return render(request, "findings/resource_form.html", {"form": form, "resource": None})


@login_required
@require_http_methods(["GET", "POST"])
def resource_update(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.resource_get_for_user(request.user, pk)
    form = ResourceForm(
        request.POST if request.method == "POST" else None,
        initial=model_to_dict(resource, fields=["title", "url", "kind", "description", "active"]),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_update(resource=resource, **form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Resource saved.")
            return redirect("findings:resource-list")
    return render(request, "findings/resource_form.html", {"form": form, "resource": resource})


@login_required
@require_POST
def resource_retire(request: HttpRequest, pk: int) -> HttpResponse:
    """Retire an active resource, or reinstate a retired one."""
    resource = selectors.resource_get_for_user(request.user, pk)
    services.resource_set_active(resource=resource, active=not resource.active, actor=request.user)
    state = "reinstated" if resource.active else "retired"
    messages.success(request, f"{resource.title} {state}.")
    return redirect("findings:resource-list")
