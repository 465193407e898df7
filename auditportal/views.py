from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the error may be the database.
    return render(request, "500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form whose CSRF check failed (settings.CSRF_FAILURE_VIEW): usually a page left open
    across a sign-out. Says so and what to do, instead of Django's bare 403 page."""
    return render(request, "403_csrf.html", status=403)
