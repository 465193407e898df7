"""The business team's survey pages: an audit's surveys, the builder (questions frozen once
open), the plain-language check while writing, opening and closing, and issuing codes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from auditportal.forms import add_service_errors

from .. import issuing, selectors, services
from ..forms import BatchForm, QuestionForm, SurveyCreateForm, SurveyForm
from ..kinds import choices_of
from ..letters import letters_for, short_address
from ..models import Survey
from ..plain_language import plain_language_check


@login_required
@require_GET
def survey_list(request: HttpRequest, audit_pk: int) -> HttpResponse:
    audit = selectors.audit_get_for_surveys(request.user, audit_pk)
    rows = selectors.survey_rows(audit)
    taken = {row.survey.audience for row in rows}
    form = SurveyCreateForm()
    form.fields["audience"].choices = [
        (value, label) for value, label in Survey.Audience.choices if value not in taken
    ]
    return render(
        request,
        "surveys/survey_list.html",
        {"audit": audit, "rows": rows, "form": form if form.fields["audience"].choices else None},
    )


@login_required
@require_POST
def survey_create(request: HttpRequest, audit_pk: int) -> HttpResponse:
    audit = selectors.audit_get_for_surveys(request.user, audit_pk)
    form = SurveyCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose who the survey is for.")
        return redirect("surveys:survey-list", audit_pk=audit.pk)
    try:
        survey = services.survey_create(
            audit=audit, audience=form.cleaned_data["audience"], actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("surveys:survey-list", audit_pk=audit.pk)
    messages.success(request, "Survey made with starter questions: edit them before opening.")
    return redirect(survey)


@login_required
@require_http_methods(["GET", "POST"])
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get_for_user(request.user, pk)
    form = SurveyForm(
        request.POST if request.method == "POST" else None,
        initial={"title": survey.title, "introduction": survey.introduction},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(survey=survey, **form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Survey saved.")
            return redirect(survey)
    questions = list(survey.questions.order_by("order", "pk"))
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "audit": survey.audit,
            "form": form,
            "questions": [(q, choices_of(q)) for q in questions],
            "batches": list(survey.batches.select_related("agency").order_by("pk")),
            "row": next(r for r in selectors.survey_rows(survey.audit) if r.survey.pk == survey.pk),
            "short_address": short_address(),
        },
    )


def _question_page(request: HttpRequest, survey, question=None) -> HttpResponse:
    initial = (
        {
            "kind": question.kind,
            "text": question.text,
            "hint": question.hint,
            "options": "\n".join(question.options),
        }
        if question
        else {"kind": "scale3"}
    )
    form = QuestionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if question is None:
                services.question_add(survey=survey, **form.cleaned_data, actor=request.user)
            else:
                services.question_update(question=question, **form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Question saved.")
            return redirect(survey)
    text = form.data.get("text", "") if form.is_bound else initial.get("text", "")
    return render(
        request,
        "surveys/question_form.html",
        {
            "survey": survey,
            "audit": survey.audit,
            "form": form,
            "question": question,
            "report": plain_language_check(text, audience=survey.audience),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_create(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get_for_user(request.user, pk)
    if survey.is_frozen:
        messages.error(request, "The survey has opened: its questions are frozen.")
        return redirect(survey)
    return _question_page(request, survey)


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_get_for_user(request.user, pk)
    if question.survey.is_frozen:
        messages.error(request, "The survey has opened: its questions are frozen.")
        return redirect(question.survey)
    return _question_page(request, question.survey, question)


@login_required
@require_POST
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_get_for_user(request.user, pk)
    try:
        services.question_delete(question=question, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Question deleted.")
    return redirect(question.survey)


@login_required
@require_POST
def question_move(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_get_for_user(request.user, pk)
    try:
        services.question_move(
            question=question, direction=request.POST.get("direction", ""), actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(question.survey)


@login_required
@require_POST
def plain_language(request: HttpRequest, pk: int) -> HttpResponse:
    """The check under the question box, redrawn by htmx as the business team types."""
    survey = selectors.survey_get_for_user(request.user, pk)
    report = plain_language_check(request.POST.get("text", "")[:2000], audience=survey.audience)
    return render(request, "surveys/_plain_language.html", {"report": report})


@login_required
@require_POST
def survey_status(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get_for_user(request.user, pk)
    action = request.POST.get("action", "")
    try:
        if action == "open":
            services.survey_open(survey=survey, actor=request.user)
            messages.success(request, "Survey open: codes now work, and its questions are frozen.")
        elif action == "close":
            services.survey_close(survey=survey, actor=request.user)
            messages.success(request, "Survey closed: its codes no longer work.")
        else:
            messages.error(request, "Choose to open or close the survey.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(survey)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def batch_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue codes: the letters are this page's answer to the POST, shown once."""
    survey = selectors.survey_get_for_user(request.user, pk)
    with_agency = survey.audience == Survey.Audience.PRACTITIONERS
    form = BatchForm(request.POST if request.method == "POST" else None, with_agency=with_agency)
    if request.method == "POST" and form.is_valid():
        try:
            batch, codes = issuing.batch_issue(
                survey=survey, **form.cleaned_data, actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(
                request,
                "surveys/letters.html",
                {
                    "survey": survey,
                    "audit": survey.audit,
                    "batch": batch,
                    "letters": letters_for(codes),
                    "short_address": short_address(),
                },
            )
    return render(
        request, "surveys/batch_form.html", {"survey": survey, "audit": survey.audit, "form": form}
    )
