from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import published_briefings_visible_to


@login_required
def published(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "briefings/published.html",
        {"briefings": published_briefings_visible_to(request.user)},
    )
