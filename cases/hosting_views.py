"""The hosting administration: partnerships listed and created, on the hosting host names
only (settings.HOSTING_HOSTS), by hosting administrators. No page here reads a
partnership's own data: the request runs with no partnership (auditportal.tenancy), so
every partnership-owned table reads empty."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from auditportal.access import require

from .hosting import (
    partnership_deactivate,
    partnership_for_hosting,
    partnership_history,
    partnership_host_add,
    partnership_host_remove,
    partnership_reactivate,
    partnership_rename,
)
from .hosting_forms import (
    HostAddForm,
    HostRemoveForm,
    PartnershipCreateForm,
    PartnershipDeactivateForm,
    PartnershipRenameForm,
)
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
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"{partnership.name} is ready. {member.email} has been sent an invitation.",
            )
            return redirect("hosting:partnerships")
    return render(request, "cases/hosting_partnership_form.html", {"form": form})


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal shown on the form: on its field, or above the form."""
    for field, problems in (getattr(error, "error_dict", None) and error.message_dict.items()) or [
        ("__all__", error.messages)
    ]:
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


def _partnership(request: HttpRequest, pk: int) -> Partnership:
    """The partnership for the hosting administrator; an unknown id: 404."""
    require(request.user, "cases.manage_partnerships")
    partnership = partnership_for_hosting(pk)
    if partnership is None:
        raise Http404
    return partnership


def _detail_page(
    request: HttpRequest,
    partnership: Partnership,
    *,
    rename_form: PartnershipRenameForm | None = None,
    host_form: HostAddForm | None = None,
    problems: list[str] | None = None,
) -> HttpResponse:
    return render(
        request,
        "cases/hosting_partnership.html",
        {
            "partnership": partnership,
            "hosts": list(partnership.hosts.order_by("pk")),
            "rename_form": rename_form or PartnershipRenameForm(initial={"name": partnership.name}),
            "host_form": host_form or HostAddForm(),
            "problems": problems or [],
            "history": partnership_history(partnership),
        },
    )


def hosting_partnership(request: HttpRequest, pk: int) -> HttpResponse:
    _on_hosting_host(request)
    return _detail(request, pk)


@login_required
def _detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _partnership(request, pk))


def hosting_partnership_rename(request: HttpRequest, pk: int) -> HttpResponse:
    _on_hosting_host(request)
    return _rename(request, pk)


@login_required
@require_POST
def _rename(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership(request, pk)
    form = PartnershipRenameForm(request.POST)
    if form.is_valid():
        old = partnership.name
        try:
            partnership_rename(actor=request.user, partnership=partnership, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if partnership.name != old:
                messages.success(request, f"{old} is now called {partnership.name}.")
            return redirect("hosting:partnership", pk=partnership.pk)
    partnership.refresh_from_db()
    return _detail_page(request, partnership, rename_form=form)


def hosting_partnership_host_add(request: HttpRequest, pk: int) -> HttpResponse:
    _on_hosting_host(request)
    return _host_add(request, pk)


@login_required
@require_POST
def _host_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership(request, pk)
    form = HostAddForm(request.POST)
    if form.is_valid():
        try:
            added = partnership_host_add(
                actor=request.user, partnership=partnership, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{partnership.name} now answers on {added.host} too.")
            return redirect("hosting:partnership", pk=partnership.pk)
    return _detail_page(request, partnership, host_form=form)


def hosting_partnership_host_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _on_hosting_host(request)
    return _host_remove(request, pk)


@login_required
@require_POST
def _host_remove(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership(request, pk)
    form = HostRemoveForm(request.POST)
    if not form.is_valid():
        return _detail_page(
            request, partnership, problems=["Choose a host name of the partnership to remove."]
        )
    try:
        partnership_host_remove(actor=request.user, partnership=partnership, **form.cleaned_data)
    except ValidationError as error:
        return _detail_page(request, partnership, problems=error.messages)
    messages.success(
        request, f"{partnership.name} no longer answers on {form.cleaned_data['host']}."
    )
    return redirect("hosting:partnership", pk=partnership.pk)


def hosting_partnership_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    _on_hosting_host(request)
    return _deactivate(request, pk)


@login_required
def _deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page with the reason to give; the POST deactivates."""
    partnership = _partnership(request, pk)
    if not partnership.active:
        messages.info(request, f"{partnership.name} is already deactivated.")
        return redirect("hosting:partnership", pk=partnership.pk)
    form = PartnershipDeactivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partnership_deactivate(actor=request.user, partnership=partnership, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"{partnership.name} is deactivated: its addresses answer 404 and its tasks "
                "have stopped.",
            )
            return redirect("hosting:partnership", pk=partnership.pk)
    return render(
        request,
        "cases/hosting_partnership_deactivate.html",
        {"partnership": partnership, "hosts": list(partnership.hosts.order_by("pk")), "form": form},
    )


def hosting_partnership_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    _on_hosting_host(request)
    return _reactivate(request, pk)


@login_required
@require_POST
def _reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership(request, pk)
    try:
        partnership_reactivate(actor=request.user, partnership=partnership)
    except ValidationError as error:
        return _detail_page(request, partnership, problems=error.messages)
    messages.success(
        request, f"{partnership.name} is active again: its addresses answer and its tasks run."
    )
    return redirect("hosting:partnership", pk=partnership.pk)
