from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from audits.models import Audit
from audits.selectors import audits_visible_to


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
