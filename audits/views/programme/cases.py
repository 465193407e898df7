"""An audit's cases (its sample of children): added, edited, removed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_http_methods

from auditportal.auditlog import access_log
from auditportal.forms import add_service_errors
from audits.forms import CaseForm
from audits.models import SampleCase
from audits.selectors import (
    audit_cases,
    audit_get_for_business_team,
    sample_case_get_for_business_team,
    sample_spread,
)
from audits.services import programme as services

# Cases ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit's cases page: the sample so far, its spread, and a form to add a case."""
    audit = audit_get_for_business_team(request.user, pk)
    editable = audit.status in services.CASE_EDITABLE_STATUSES
    form = CaseForm(request.POST or None)
    if request.method == "POST":
        if not editable:
            messages.error(request, "The cases of this audit can no longer change.")
            return redirect("audits:case-add", audit.pk)
        if form.is_valid():
            try:
                case = services.case_create(audit=audit, actor=request.user, **form.case_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                earlier = case.audits.exclude(pk=audit.pk).count()
                message = f"{case.pseudonym} has been added to the sample."
                if earlier:
                    message = (
                        f"{case.pseudonym} is already a child of the partnership (in "
                        f"{earlier} other audit{pluralize(earlier)}): added to this sample "
                        "with the record references it has."
                    )
                messages.success(request, message)
                return redirect("audits:case-add", audit.pk)
    cases = audit_cases(audit)
    access_log(actor=request.user, code="audit.sample_viewed", target=audit)
    return render(
        request,
        "audits/audit_cases.html",
        {
            "audit": audit,
            "cases": cases,
            "spread": sample_spread(cases),
            "form": form,
            "editable": editable,
        },
    )


def _sample_references(sample: SampleCase) -> dict[int, str]:
    """agency id -> record reference ("" if none) of the agencies this audit samples."""
    references = {}
    for involvement in sample.involvements.select_related("record_reference"):
        reference = getattr(involvement, "record_reference", None)
        references[involvement.agency_id] = reference.reference if reference else ""
    return references


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, audit_pk: int, pk: int) -> HttpResponse:
    sample = sample_case_get_for_business_team(request.user, audit_pk, pk)
    audit, case = sample.audit, sample.case
    form = CaseForm(request.POST or None, case=case, references=_sample_references(sample))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(audit=audit, case=case, actor=request.user, **form.case_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{case.pseudonym} has been saved.")
            return redirect("audits:case-add", audit.pk)
    access_log(actor=request.user, code="case.viewed", target=case)
    return render(
        request,
        "audits/case_form.html",
        {
            "audit": audit,
            "case": case,
            "form": form,
            "editable": audit.status in services.CASE_EDITABLE_STATUSES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_delete(request: HttpRequest, audit_pk: int, pk: int) -> HttpResponse:
    sample = sample_case_get_for_business_team(request.user, audit_pk, pk)
    audit, case = sample.audit, sample.case
    if request.method == "POST":
        pseudonym = case.pseudonym
        try:
            services.case_delete(audit=audit, case=case, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"{pseudonym} has been removed from the sample.")
        return redirect("audits:case-add", audit.pk)
    access_log(actor=request.user, code="case.viewed", target=case)
    return render(request, "audits/case_confirm_delete.html", {"audit": audit, "case": case})
