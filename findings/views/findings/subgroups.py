"""Sub-groups (owners of actions): listed, added, edited, retired."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from auditportal.forms import add_service_errors
from findings import selectors, services
from findings.forms import SubGroupForm

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
