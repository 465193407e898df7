"""The resources library: listed, added, edited, retired."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from auditportal.forms import add_service_errors
from findings import selectors, services
from findings.forms import ResourceForm
from findings.models import Resource

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
