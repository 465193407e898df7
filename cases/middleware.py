"""The tenant of a request, from its host name (cases/hosts.py).

A host of a partnership runs the request inside that partnership's context
(auditportal.tenancy): every partnership-owned model is read and written for it alone, and on
PostgreSQL the connection's row-level security setting names it. A host listed in
HOSTING_HOSTS is the hosting administration: no partnership's rows at all. Any other host (a
partnership unknown or deactivated) is answered 404 before a session or a user is read.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound

from auditportal.tenancy import partnership_context

from .hosts import host_name, partnership_for_host

NOT_FOUND = "No partnership answers at this address.\n"


class PartnershipMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        host = request.get_host()
        partnership = partnership_for_host(host)
        if partnership is None and host_name(host) not in settings.HOSTING_HOSTS:
            return HttpResponseNotFound(NOT_FOUND, content_type="text/plain")
        request.partnership = partnership  # type: ignore[attr-defined]
        with partnership_context(partnership):
            return self.get_response(request)
