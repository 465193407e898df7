"""The child's page (business team only): one child in one audit, every agency's answers side
by side, the merged chronology, and the moderation meeting's judgement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from auditportal.access import require
from auditportal.auditlog import access_log
from audits.models import Theme
from audits.selectors import audits_visible_to, sample_case_get_for_business_team
from findings.case_models import DIFFERENCE_DESCRIPTORS, ChildSummary, DifferenceMade
from findings.child_forms import CaseJudgementForm
from findings.child_page import child_page
from findings.child_summary import child_summary_request, summaries_of, summary_is_waiting
from findings.services.case_judgement import (
    AgreedGradeInput,
    case_judgement_record,
    judgement_can_be_recorded,
)


def _initial(page) -> dict:
    initial: dict = {}
    if page.judgement:
        initial.update(
            lived_experience=page.judgement.lived_experience,
            difference=page.judgement.difference,
            difference_text=page.judgement.difference_text,
        )
    for block in page.themes:
        if block.agreed:
            initial[f"grade-{block.theme_id}"] = block.agreed.grade
            initial[f"reason-{block.theme_id}"] = block.agreed.reason
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def child_page_view(request: HttpRequest, audit_pk: int, case_pk: int) -> HttpResponse:
    sample_case = sample_case_get_for_business_team(request.user, audit_pk, case_pk)
    require(request.user, "findings.manage_findings", sample_case)
    page = child_page(sample_case)
    graded = [block for block in page.themes if block.has_grades]
    can_record = judgement_can_be_recorded(sample_case.audit)
    form = CaseJudgementForm(request.POST or None, themes=graded, initial=_initial(page))
    status = 200
    if request.method == "POST":
        if not can_record:
            messages.error(
                request,
                "The meeting's judgement can be recorded only while the audit is in "
                "moderation or its findings are agreed. Nothing was saved.",
            )
            return redirect(request.path)
        if form.is_valid():
            themes = {t.pk: t for t in Theme.objects.filter(pk__in=[b.theme_id for b in graded])}
            data = form.cleaned_data
            try:
                case_judgement_record(
                    sample_case=sample_case,
                    actor=request.user,
                    lived_experience=data["lived_experience"],
                    difference=data["difference"],
                    difference_text=data["difference_text"],
                    grades=[
                        AgreedGradeInput(
                            theme=themes[block.theme_id],
                            grade=data[f"grade-{block.theme_id}"],
                            reason=data[f"reason-{block.theme_id}"],
                        )
                        for block in graded
                    ],
                )
            except ValidationError as error:
                for field, field_messages in (
                    error.message_dict.items()
                    if hasattr(error, "error_dict")
                    else [(None, error.messages)]
                ):
                    for message in field_messages:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(
                    request, f"The meeting's judgement of {sample_case.case} is saved."
                )
                return redirect(
                    reverse("findings:child-page", args=[audit_pk, case_pk]) + "#judgement"
                )
        status = 400
    else:
        access_log(actor=request.user, code="case.child_page_viewed", target=sample_case.case)
    summaries = summaries_of(sample_case)
    return render(
        request,
        "findings/child_page.html",
        {
            "audit": sample_case.audit,
            "case": sample_case.case,
            "sample_case": sample_case,
            "page": page,
            "form": form,
            "graded_fields": [
                (block, form[f"grade-{block.theme_id}"], form[f"reason-{block.theme_id}"])
                for block in graded
            ],
            "can_record": can_record,
            "descriptors": [
                (label, DIFFERENCE_DESCRIPTORS[value]) for value, label in DifferenceMade.choices
            ],
            "difference_label": DifferenceMade(page.judgement.difference).label
            if page.judgement and page.judgement.difference
            else "",
            "summaries": summaries,
            "summary_waiting": bool(summaries) and summary_is_waiting(summaries[0]),
        },
        status=status,
    )


@login_required
@require_POST
def child_summary_request_view(request: HttpRequest, audit_pk: int, case_pk: int) -> HttpResponse:
    sample_case = sample_case_get_for_business_team(request.user, audit_pk, case_pk)
    require(request.user, "findings.manage_findings", sample_case)
    url = reverse("findings:child-page", args=[audit_pk, case_pk]) + "#summary"
    try:
        child_summary_request(sample_case=sample_case, actor=request.user)
    except ValidationError as error:
        messages.error(
            request,
            "The child summary was not made: the disclosure check found identifiers. "
            + " ".join(error.messages),
        )
        return redirect(url)
    messages.success(request, "The child summary is being made; it is listed below when ready.")
    return redirect(url)


@login_required
@require_GET
def child_summary_download(request: HttpRequest, pk: int) -> HttpResponse:
    summary = get_object_or_404(
        ChildSummary.objects.select_related("sample_case__case"),
        pk=pk,
        sample_case__audit__in=audits_visible_to(request.user),
    )
    require(request.user, "findings.manage_findings", summary)
    if summary.status != ChildSummary.Status.READY or not summary.pdf:
        raise Http404
    access_log(actor=request.user, code="case.summary_downloaded", target=summary.sample_case.case)
    response = FileResponse(
        summary.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"child-summary-{summary.sample_case.case.pseudonym}-{summary.pk}.pdf",
    )
    return response
