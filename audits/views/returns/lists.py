"""My returns: the returns a practitioner fills in or may pick up, by scope."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from auditportal.access import require
from auditportal.auditlog import access_log
from audits.models import Audit, Return
from audits.selectors import my_returns_counts, my_returns_filtered

from .common import _audit_contact

SCOPES = {"": "Mine and my agencies'", "mine": "Assigned to me", "agency": "Others in my agencies"}


# --- My returns --------------------------------------------------------------------------

# A list page's access row names at most this many of the returns it showed.
MAX_LOGGED_IDS = 500


@login_required
@require_GET
def my_returns_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "audits.list_my_returns")
    scope = request.GET.get("scope", "")
    scope = scope if scope in SCOPES else ""
    status = request.GET.get("status", "")
    status = status if status in {*Return.Status.values, "overdue"} else ""
    query = request.GET.get("q", "").strip()[:100]
    returns = list(my_returns_filtered(request.user, scope=scope, status=status, query=query))
    closed = [r for r in returns if r.audit.status != Audit.Status.OPEN]
    access_log(
        actor=request.user,
        code="return.listed",
        target=None,
        changes={"returns": [r.pk for r in returns[:MAX_LOGGED_IDS]], "count": len(returns)},
        listed=returns[:MAX_LOGGED_IDS],
    )
    return render(
        request,
        "audits/my_returns.html",
        {
            "returns": [r for r in returns if r.audit.status == Audit.Status.OPEN],
            "closed": [(r, _audit_contact(r.audit)) for r in closed],
            "counts": my_returns_counts(request.user),
            "today": timezone.localdate(),
            "scope": scope,
            "scopes": SCOPES,
            "status": status,
            "statuses": Return.Status.choices,
            "query": query,
            "filtered": bool(scope or status or query),
        },
    )
