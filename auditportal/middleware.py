import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import health


class HealthCheckMiddleware:
    """Answers /healthz (liveness) and /readyz (readiness: database, Redis, a recent worker
    heartbeat; auditportal/health.py) before host validation and the HTTPS redirect, so a
    container healthcheck on 127.0.0.1 works. Neither says more than a state per check."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            response = HttpResponse("ok", content_type="text/plain")
        elif request.path == "/readyz":
            checks = health.readiness()
            ready = all(check.ok for check in checks)
            body = {
                "status": "ready" if ready else "not ready",
                "checks": {check.name: check.detail for check in checks},
            }
            response = HttpResponse(
                json.dumps(body), status=200 if ready else 503, content_type="application/json"
            )
        else:
            return self.get_response(request)
        response["Cache-Control"] = "no-store"
        return response

