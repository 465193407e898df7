"""Question sets: listed, made from the bank, shown, edited and versioned."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from auditportal.forms import add_service_errors
from audits.forms import QuestionSetForm
from audits.selectors import (
    question_sets_visible_to,
    questionset_get_for_business_team,
    questionset_items_by_theme,
)
from audits.services import programme as services

from .common import business_team_required

# Question sets -------------------------------------------------------------------------------


@login_required
@require_GET
def questionset_list(request: HttpRequest) -> HttpResponse:
    business_team_required(request)
    query = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "audits/questionset_list.html",
        {"question_sets": question_sets_visible_to(request.user, search=query), "query": query},
    )


@login_required
@require_http_methods(["GET", "POST"])
def questionset_create(request: HttpRequest) -> HttpResponse:
    business_team_required(request)
    form = QuestionSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question_set = services.questionset_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                questions=form.cleaned_data["questions"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The question set “{question_set}” has been created.")
            return redirect("audits:questionset-detail", question_set.pk)
    return render(request, "audits/questionset_form.html", {"form": form, "question_set": None})


@login_required
@require_GET
def questionset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question_set = questionset_get_for_business_team(request.user, pk)
    return render(
        request,
        "audits/questionset_detail.html",
        {
            "question_set": question_set,
            "groups": questionset_items_by_theme(question_set),
            "audits": question_set.audits.order_by("returns_open"),
            "versions": question_sets_visible_to(request.user).filter(name=question_set.name),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def questionset_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question_set = questionset_get_for_business_team(request.user, pk)
    if question_set.is_frozen:
        messages.error(request, services.FROZEN_SET_MESSAGE)
        return redirect("audits:questionset-detail", question_set.pk)
    form = QuestionSetForm(request.POST or None, question_set=question_set)
    if request.method == "POST" and form.is_valid():
        try:
            services.questionset_update(
                question_set=question_set,
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                questions=form.cleaned_data["questions"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The question set has been saved.")
            return redirect("audits:questionset-detail", question_set.pk)
    return render(
        request, "audits/questionset_form.html", {"form": form, "question_set": question_set}
    )


@login_required
@require_POST
def questionset_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    question_set = questionset_get_for_business_team(request.user, pk)
    try:
        clone = services.questionset_new_version(question_set=question_set, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("audits:questionset-detail", question_set.pk)
    messages.success(request, f"Version {clone.version} has been made: you can edit it.")
    return redirect("audits:questionset-detail", clone.pk)
