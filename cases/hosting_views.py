"""The hosting administration: partnerships listed and created, on the hosting host names
only (settings.HOSTING_HOSTS), by hosting administrators. No page here reads a
partnership's own data: the request runs with no partnership (auditportal.tenancy), so
every partnership-owned table reads empty."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from auditportal.access import require

from .hosting_forms import PartnershipCreateForm
from .models import Partnership
from .onboarding import partnership_create


def _on_hosting_host(request: HttpRequest) -> None:
    """Partnership addresses do not have these pages at all."""
    if getattr(request, "partnership", None) is not None:
        raise Http404


def hosting_partnerships(request: HttpRequest) -> HttpResponse:
    _on_hosting_host(request)
    return _partnerships(request)


@login_required
def _partnerships(request: HttpRequest) -> HttpResponse:
    require(request.user, "cases.manage_partnerships")
    partnerships = Partnership.objects.annotate(host_count=Count("hosts")).prefetch_related("hosts")
    return render(request, "cases/hosting_partnerships.html", {"partnerships": partnerships})


def hosting_partnership_create(request: HttpRequest) -> HttpResponse:
    _on_hosting_host(request)
    return _create(request)


@login_required
def _create(request: HttpRequest) -> HttpResponse:
    require(request.user, "cases.manage_partnerships")
    form = PartnershipCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partnership, member = partnership_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, problems in (
                getattr(error, "error_dict", None) and error.message_dict.items()
            ) or [("__all__", error.messages)]:
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(
                request,
                f"{partnership.name} is ready. {member.email} has been sent an invitation.",
            )
            return redirect("hosting:partnerships")
    return render(request, "cases/hosting_partnership_form.html", {"form": form})
