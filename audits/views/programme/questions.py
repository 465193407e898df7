"""The question bank: themes and questions."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from auditportal.forms import add_service_errors
from audits.forms import QuestionForm, ThemeForm
from audits.selectors import (
    question_bank_themes,
    question_get_for_business_team,
    theme_get_for_business_team,
)
from audits.services import programme as services

from .common import business_team_required

# Question bank -------------------------------------------------------------------------------


@login_required
@require_GET
def question_bank(request: HttpRequest) -> HttpResponse:
    business_team_required(request)
    query = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "audits/question_bank.html",
        {"themes": question_bank_themes(request.user, search=query), "query": query},
    )


def _question_fields(form: QuestionForm) -> dict:
    data = form.cleaned_data
    return {
        "theme": data["theme"],
        "text": data["text"],
        "kind": data["kind"],
        "help_text": data["help_text"],
        "options": data["options"],
        "required": data["required"],
        "active": data["active"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def question_create(request: HttpRequest) -> HttpResponse:
    business_team_required(request)
    initial = {"required": True, "active": True, "theme": request.GET.get("theme")}
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_create(actor=request.user, **_question_fields(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The question has been added to the bank.")
            return redirect(reverse("audits:question-bank") + f"#question-{question.pk}")
    return render(request, "audits/question_form.html", {"form": form, "question": None})


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = question_get_for_business_team(request.user, pk)
    form = QuestionForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(
                question=question, actor=request.user, **_question_fields(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "The question has been saved. Audits that have opened keep the wording they asked.",
            )
            return redirect(reverse("audits:question-bank") + f"#question-{question.pk}")
    return render(request, "audits/question_form.html", {"form": form, "question": question})


@login_required
@require_POST
def question_move(request: HttpRequest, pk: int) -> HttpResponse:
    question = question_get_for_business_team(request.user, pk)
    try:
        services.question_move(
            question=question, direction=request.POST.get("direction", ""), actor=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(reverse("audits:question-bank") + f"#question-{question.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def theme_create(request: HttpRequest) -> HttpResponse:
    business_team_required(request)
    form = ThemeForm(request.POST or None, initial={"active": True})
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.theme_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The theme “{theme.name}” has been added.")
            return redirect(reverse("audits:question-bank") + f"#theme-{theme.pk}")
    return render(request, "audits/theme_form.html", {"form": form, "theme": None})


@login_required
@require_http_methods(["GET", "POST"])
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    theme = theme_get_for_business_team(request.user, pk)
    form = ThemeForm(request.POST or None, instance=copy.copy(theme))
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_update(theme=theme, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The theme has been saved.")
            return redirect(reverse("audits:question-bank") + f"#theme-{theme.pk}")
    return render(request, "audits/theme_form.html", {"form": form, "theme": theme})
