from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from audits.selectors import my_returns


@login_required
def my_returns_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_practitioner:
        raise PermissionDenied
    return render(
        request,
        "audits/my_returns.html",
        {"returns": my_returns(request.user), "today": timezone.localdate()},
    )
