"""Immediate concerns: raised from a return, resolved by the business team."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from auditportal.access import allowed
from auditportal.auditlog import access_log
from audits.return_forms import ConcernForm, ConcernResolveForm
from audits.selectors import concern_alerts_of, concern_get_for_user, return_get_for_user
from audits.services import concern_raise, concern_resolve

# --- Immediate concerns ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def concern_raise_view(request: HttpRequest, pk: int) -> HttpResponse:
    audit_return = return_get_for_user(request.user, pk)
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            concern = concern_raise(
                audit_return=audit_return,
                actor=request.user,
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # The first try has run (right after the commit): say what it did.
            if all(alert.status == alert.Status.SENT for alert in concern_alerts_of(concern)):
                told = "The business team and the agency's safeguarding lead have been e-mailed."
            else:
                told = (
                    "Not every alert could be e-mailed yet: they are tried again, and the "
                    "business team is shown any that does not go. Tell them another way too."
                )
            messages.warning(
                request,
                f"Immediate concern raised. {told} If the child is in danger now, call 999.",
            )
            return redirect(audit_return.get_absolute_url())
    access_log(actor=request.user, code="return.viewed", target=audit_return)
    return render(
        request, "audits/concern_raise.html", {"audit_return": audit_return, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def concern_resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    concern = concern_get_for_user(request.user, pk)
    can_resolve = allowed(request.user, "audits.manage_concern", concern.audit_return)
    if request.method == "POST" and not can_resolve:
        raise PermissionDenied
    form = ConcernResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            concern_resolve(
                concern=concern, actor=request.user, action_taken=form.cleaned_data["action_taken"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The action taken is recorded and the concern is closed.")
            return redirect(concern.audit_return.get_absolute_url())
    access_log(actor=request.user, code="concern.viewed", target=concern)
    return render(
        request,
        "audits/concern_resolve.html",
        {
            "concern": concern,
            "form": form,
            "can_resolve": can_resolve,
            "alerts": concern_alerts_of(concern),
        },
    )
