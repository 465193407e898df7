"""Quotes from the survey: the consented answers of an audit, and the review of one (edit for
anonymity beside the read-only original, then approve)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from auditportal.auditlog import access_log
from auditportal.forms import add_service_errors

from .. import selectors
from ..forms import SurveyQuoteForm
from ..survey_quotes import survey_answer_get_for_user, survey_quote_candidates, survey_quote_review


@login_required
@require_GET
def survey_quotes(request: HttpRequest, audit_pk: int) -> HttpResponse:
    audit = selectors.audit_get_for_business(request.user, audit_pk)
    candidates = survey_quote_candidates(audit)
    return render(
        request, "findings/survey_quotes.html", {"audit": audit, "candidates": candidates}
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_quote_review_page(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = survey_answer_get_for_user(request.user, pk)
    answer, quote = candidate.answer, candidate.quote
    audit = answer.response.survey.audit
    form: forms.Form = SurveyQuoteForm(
        request.POST if request.method == "POST" else None,
        initial={
            "text": quote.text if quote else " ".join(answer.text.split())[:400],
            "source_label": candidate.source_label,
        },
        flagged=bool(answer.flags),
    )
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "save")
        try:
            survey_quote_review(
                answer=answer,
                text=form.cleaned_data["text"],
                source_label=form.cleaned_data["source_label"],
                checked=form.cleaned_data.get("checked", False),
                approve=action == "approve",
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                {
                    "approve": "Quote approved: it can now be chosen for the briefing.",
                    "withdraw": "Approval withdrawn: the quote is no longer offered to briefings.",
                }.get(action, "Quote saved, not yet approved."),
            )
            return redirect(
                reverse("findings:survey-quotes", args=[audit.pk]) + f"#answer-{answer.pk}"
            )
    else:
        access_log(actor=request.user, code="survey_answer.viewed", target=answer)
    return render(
        request,
        "findings/survey_quote_review.html",
        {"audit": audit, "candidate": candidate, "form": form},
    )
