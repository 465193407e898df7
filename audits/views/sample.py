"""The sample builder of a planned audit (business team only): upload a candidate list,
propose a stratified sample from a seed, swap children, add the chosen ones to the audit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_GET, require_POST

from auditportal.auditlog import access_log
from audits.models import Audit
from audits.sample_forms import (
    AddChosenForm,
    CandidateUploadForm,
    ProposeForm,
    SwapForm,
    new_seed,
)
from audits.sample_selectors import audit_candidates, audit_sample_proposal
from audits.sampling import spread_comparison
from audits.selectors import audit_get_for_business_team
from audits.services import sample as services
from cases.models import Case


def _page(
    request: HttpRequest,
    audit: Audit,
    *,
    upload_form: CandidateUploadForm | None = None,
    file_error: str = "",
    row_errors: list[services.RowError] | None = None,
) -> HttpResponse:
    candidates = list(audit_candidates(audit))
    chosen = [c for c in candidates if c.chosen]
    proposal = audit_sample_proposal(audit)
    size = proposal.size if proposal else min(10, len(candidates)) or 1
    seed = proposal.seed if proposal else new_seed()
    access_log(actor=request.user, code="audit.candidates_viewed", target=audit)
    return render(
        request,
        "audits/sample_builder.html",
        {
            "audit": audit,
            "planned": audit.status == Audit.Status.PLANNED,
            "candidates": candidates,
            "chosen": chosen,
            "proposal": proposal,
            "spread": spread_comparison(candidates, chosen),
            "upload_form": upload_form or CandidateUploadForm(),
            "file_error": file_error,
            "row_errors": row_errors or [],
            "propose_form": ProposeForm(initial={"size": size, "seed": seed}),
            "swap_form": SwapForm(candidates=audit_candidates(audit)),
            "add_form": AddChosenForm(),
            "columns": [
                ("Pseudonym", "The child's pseudonym (at most 30 characters), once each.", []),
                ("Age band", "", Case.AgeBand.choices),
                ("Gender", "", Case.Gender.choices),
                ("Ethnicity", "May be empty.", Case.Ethnicity.choices),
                ("Level of need", "", Case.LevelOfNeed.choices),
            ],
        },
    )


@login_required
@require_GET
def sample_builder(request: HttpRequest, pk: int) -> HttpResponse:
    audit = audit_get_for_business_team(request.user, pk)
    return _page(request, audit)


def _errors_to_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_POST
def sample_upload(request: HttpRequest, pk: int) -> HttpResponse:
    audit = audit_get_for_business_team(request.user, pk)
    form = CandidateUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, audit, upload_form=form)
    upload = form.cleaned_data["file"]
    if upload.size > services.MAX_CANDIDATE_BYTES:
        return _page(
            request, audit, file_error="The file is larger than 2 MB: split the list or trim it."
        )
    try:
        count = services.candidates_upload(audit=audit, actor=request.user, data=upload.read())
    except services.CandidateFileError as error:
        return _page(request, audit, file_error=error.message, row_errors=error.rows)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, f"{count} candidate{pluralize(count)} uploaded.")
    return redirect("audits:sample-builder", audit.pk)


@login_required
@require_POST
def sample_propose(request: HttpRequest, pk: int) -> HttpResponse:
    audit = audit_get_for_business_team(request.user, pk)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("audits:sample-builder", audit.pk)
    try:
        proposal = services.sample_propose(audit=audit, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(
            request,
            f"Proposed a sample of {proposal.size} child{pluralize(proposal.size, 'ren')} "
            f"with seed {proposal.seed}.",
        )
    return redirect("audits:sample-builder", audit.pk)


@login_required
@require_POST
def sample_swap(request: HttpRequest, pk: int) -> HttpResponse:
    audit = audit_get_for_business_team(request.user, pk)
    form = SwapForm(request.POST, candidates=audit_candidates(audit))
    if not form.is_valid():
        messages.error(request, "Choose a proposed child to take out and another to put in.")
        return redirect("audits:sample-builder", audit.pk)
    take_out, put_in = form.cleaned_data["take_out"], form.cleaned_data["put_in"]
    try:
        services.sample_swap(audit=audit, actor=request.user, take_out=take_out, put_in=put_in)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(
            request, f"{put_in.pseudonym} is proposed instead of {take_out.pseudonym}."
        )
    return redirect("audits:sample-builder", audit.pk)


@login_required
@require_POST
def sample_add(request: HttpRequest, pk: int) -> HttpResponse:
    audit = audit_get_for_business_team(request.user, pk)
    form = AddChosenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose at least one agency involved with these children.")
        return redirect("audits:sample-builder", audit.pk)
    try:
        cases = services.sample_add_chosen(
            audit=audit, actor=request.user, agencies=list(form.cleaned_data["agencies"])
        )
    except ValidationError as error:
        _errors_to_messages(request, error)
        return redirect("audits:sample-builder", audit.pk)
    count = len(cases)
    messages.success(
        request, f"{count} child{pluralize(count, 'ren')} added to the sample of this audit."
    )
    return redirect("audits:case-add", audit.pk)
