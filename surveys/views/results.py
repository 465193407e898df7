"""A survey's results: each question's answers counted, with the partnership's small-number
suppression, and a pulse's reach by agency."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from auditportal.auditlog import access_log
from cases.models import Partnership

from .. import selectors
from ..models import Survey


@login_required
@require_GET
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get_for_user(request.user, pk)
    sent, results = selectors.survey_results(survey)
    access_log(actor=request.user, code="survey.results_viewed", target=survey)
    is_pulse = survey.audience == Survey.Audience.PRACTITIONERS
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "audit": survey.audit,
            "sent": sent,
            "results": results,
            "suppress_below": Partnership.load().suppression_threshold,
            "asks_consent": survey.audience != Survey.Audience.PRACTITIONERS,
            "by_agency": selectors.pulse_by_agency(survey) if is_pulse else None,
            "texts_by_agency": selectors.pulse_texts_by_agency(survey) if is_pulse else None,
        },
    )
