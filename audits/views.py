from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .models import Audit
from .selectors import audits_visible_to, my_returns


def business_team_required(request: HttpRequest) -> None:
    if not request.user.is_business_team:
        raise PermissionDenied


@login_required
def programme(request: HttpRequest) -> HttpResponse:
    business_team_required(request)
    audits = (
        audits_visible_to(request.user)
        .select_related("question_set")
        .order_by("returns_open", "title")
    )
    return render(
        request,
        "audits/programme.html",
        {"audits": audits, "statuses": Audit.Status},
    )


@login_required
def my_returns_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_practitioner:
        raise PermissionDenied
    return render(
        request,
        "audits/my_returns.html",
        {"returns": my_returns(request.user), "today": timezone.localdate()},
    )
