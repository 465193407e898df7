"""The hosting administration: partnerships listed and created, on the hosting host names
only (settings.HOSTING_HOSTS), by hosting administrators. No page here reads a
partnership's own data: the request runs with no partnership (auditportal.tenancy), so
every partnership-owned table reads empty."""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from auditportal.access import require
from auditportal.forms import add_service_errors

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


def hosting_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of the hosting host names only: on a partnership's address it does not exist
    (404, before any sign-in is asked for); then signed in, as `login_required`."""
    signed_in = login_required(view)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "partnership", None) is not None:
            raise Http404
        return signed_in(request, *args, **kwargs)

    return wrapper


@hosting_page
def hosting_partnerships(request: HttpRequest) -> HttpResponse:
    require(request.user, "cases.manage_partnerships")
    partnerships = Partnership.objects.annotate(host_count=Count("hosts")).prefetch_related("hosts")
    return render(request, "cases/hosting_partnerships.html", {"partnerships": partnerships})


@hosting_page
def hosting_partnership_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "cases.manage_partnerships")
    form = PartnershipCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partnership, member = partnership_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{partnership.name} is ready. {member.email} has been sent an invitation.",
            )
            return redirect("hosting:partnerships")
    return render(request, "cases/hosting_partnership_form.html", {"form": form})


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


@hosting_page
def hosting_partnership(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _partnership(request, pk))


@hosting_page
@require_POST
def hosting_partnership_rename(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership(request, pk)
    form = PartnershipRenameForm(request.POST)
    if form.is_valid():
        old = partnership.name
        try:
            partnership_rename(actor=request.user, partnership=partnership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if partnership.name != old:
                messages.success(request, f"{old} is now called {partnership.name}.")
            return redirect("hosting:partnership", pk=partnership.pk)
    partnership.refresh_from_db()
    return _detail_page(request, partnership, rename_form=form)


@hosting_page
@require_POST
def hosting_partnership_host_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership(request, pk)
    form = HostAddForm(request.POST)
    if form.is_valid():
        try:
            added = partnership_host_add(
                actor=request.user, partnership=partnership, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{partnership.name} now answers on {added.host} too.")
            return redirect("hosting:partnership", pk=partnership.pk)
    return _detail_page(request, partnership, host_form=form)


@hosting_page
@require_POST
def hosting_partnership_host_remove(request: HttpRequest, pk: int) -> HttpResponse:
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


@hosting_page
def hosting_partnership_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
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
            add_service_errors(form, error)
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


@hosting_page
@require_POST
def hosting_partnership_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership(request, pk)
    try:
        partnership_reactivate(actor=request.user, partnership=partnership)
    except ValidationError as error:
        return _detail_page(request, partnership, problems=error.messages)
    messages.success(
        request, f"{partnership.name} is active again: its addresses answer and its tasks run."
    )
    return redirect("hosting:partnership", pk=partnership.pk)
