import json
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.handlers.exception import get_exception_response
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, get_resolver

from . import health

logger = logging.getLogger("django.request")


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


class AppErrorPagesMiddleware:
    """With DEBUG on (the embedded demo, `make run`) Django answers an unknown URL, an Http404,
    a bad request and an error with its debug pages, which list the URL patterns, view names,
    settings and source. Demo users get the app's own 400, 403, 404 and 500 pages instead
    (DEBUG off never reaches this: Django uses them already). The traceback of an error still
    goes to the console. DEBUG_ERROR_PAGES=true gives developers Django's pages back.

    Last in MIDDLEWARE: its process_exception sees a view's exception first, and an unknown URL
    is answered after sessions, authentication and two-factor enforcement ran, as Django's own
    404 would be (CommonMiddleware still adds a missing slash). An exception raised inside
    another middleware is out of its reach and still gets Django's page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def _active() -> bool:
        return settings.DEBUG and not settings.DEBUG_ERROR_PAGES

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._active():
            resolver = get_resolver(getattr(request, "urlconf", None))
            try:
                resolver.resolve(request.path_info)
            except Resolver404 as exc:
                return get_exception_response(request, resolver, 404, exc)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not self._active():
            return None
        resolver = get_resolver(getattr(request, "urlconf", None))
        if isinstance(exception, Http404):
            return get_exception_response(request, resolver, 404, exception)
        if isinstance(exception, PermissionDenied):
            return get_exception_response(request, resolver, 403, exception)
        # Logged here with the traceback, as Django logs them; marked so it does not log again.
        if isinstance(exception, BadRequest | SuspiciousOperation):
            logger.warning("Bad Request: %s", request.path, exc_info=exception)
            response = get_exception_response(request, resolver, 400, exception)
        else:
            logger.error("Internal Server Error: %s", request.path, exc_info=exception)
            response = resolver.resolve_error_handler(500)(request)
        response._has_been_logged = True  # type: ignore[attr-defined]
        return response
