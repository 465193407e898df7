"""A submitted return sent back for amendment, and a return reassigned."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from auditportal import outbox
from auditportal.access import require
from auditportal.auditlog import access_log
from audits.return_forms import AmendmentForm, ReassignForm
from audits.selectors import agency_members, return_get_for_user
from audits.services import return_reassign, return_send_back


@login_required
@require_http_methods(["GET", "POST"])
def return_send_back_view(request: HttpRequest, pk: int) -> HttpResponse:
    audit_return = return_get_for_user(request.user, pk)
    require(request.user, "audits.send_back_return", audit_return)
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            return_send_back(
                audit_return=audit_return, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    for e in errors:
                        form.add_error(name if name in form.fields else None, e)
            else:
                form.add_error(None, error)
        else:
            message = "The return was sent back for amendment. The practitioner sees your reason."
            if outbox.is_waiting(outbox.ref_for(audit_return)):
                message += " Their e-mail is queued: it will go when the queue is back."
            messages.success(request, message)
            return redirect(audit_return.get_absolute_url())
    access_log(actor=request.user, code="return.viewed", target=audit_return)
    return render(
        request,
        "audits/return_send_back.html",
        {"audit_return": audit_return, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_reassign_view(request: HttpRequest, pk: int) -> HttpResponse:
    audit_return = return_get_for_user(request.user, pk)
    require(request.user, "audits.reassign_return", audit_return)
    members = agency_members(audit_return.agency_id)
    form = ReassignForm(
        request.POST or None,
        members=members,
        initial={"assignee": audit_return.assignee_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            return_reassign(
                audit_return=audit_return,
                actor=request.user,
                assignee=form.cleaned_data["assignee"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            message = f"The return is now assigned to {form.cleaned_data['assignee']}."
            if outbox.is_waiting(outbox.ref_for(audit_return)):
                message += " The e-mail to them is queued: it will go when the queue is back."
            messages.success(request, message)
            return redirect(audit_return.get_absolute_url())
    access_log(actor=request.user, code="return.viewed", target=audit_return)
    return render(
        request,
        "audits/return_reassign.html",
        {"audit_return": audit_return, "form": form, "has_members": members.exists()},
    )
