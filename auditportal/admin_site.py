"""The Django admin site, named for the partnership of the request (cases.middleware sets
``request.partnership`` from the host name): each partnership's administrators see their own
partnership's name, never the deployment's PARTNERSHIP_NAME setting."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

TITLE = "AuditPortal administration"


def admin_title(request: HttpRequest) -> str:
    tenant = getattr(request, "partnership", None)
    return f"{tenant.name}: {TITLE}" if tenant is not None else TITLE


class PartnershipAdminSite(admin.AdminSite):
    site_header = TITLE
    site_title = TITLE

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().each_context(request)
        context["site_header"] = context["site_title"] = admin_title(request)
        return context
