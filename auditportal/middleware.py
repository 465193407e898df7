from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse


class HealthCheckMiddleware:
    """Answers /healthz before host validation and the HTTPS redirect, so a container
    healthcheck on 127.0.0.1 works; it says only whether the database answers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != "/healthz":
            return self.get_response(request)
        try:
            connection.ensure_connection()
        except Exception:
            return HttpResponse("database unavailable", status=503, content_type="text/plain")
        return HttpResponse("ok", content_type="text/plain")
