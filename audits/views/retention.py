"""The retention page (under the trail, for the business team): closed audits, the day each
one's identifiers and drafts are purged, legal holds, and what each purge removed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from auditportal.access import require
from cases.models import Partnership

from ..models import PurgeRecord
from ..retention import audit_set_legal_hold, purge_due_on
from ..selectors import audits_visible_to


def _require_business_team(request: HttpRequest) -> None:
    require(request.user, "auditportal.view_trail")


@login_required
@require_GET
def retention(request: HttpRequest) -> HttpResponse:
    _require_business_team(request)
    audits = list(
        audits_visible_to(request.user).filter(closed_at__isnull=False).order_by("closed_at", "pk")
    )
    retention_days = Partnership.load().retention_days
    for audit in audits:
        audit.purge_due = purge_due_on(audit, retention_days=retention_days)
    return render(
        request,
        "trail/retention.html",
        {
            "audits": audits,
            "purges": PurgeRecord.objects.all()[:100],
            "retention_days": retention_days,
        },
    )


@login_required
@require_POST
def legal_hold(request: HttpRequest, audit_pk: int) -> HttpResponse:
    _require_business_team(request)
    audit = audits_visible_to(request.user).filter(pk=audit_pk).first()
    require(request.user, "audits.manage_programme", audit, visible=audit is not None)
    hold = request.POST.get("hold") == "on"
    try:
        audit_set_legal_hold(audit=audit, hold=hold, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Legal hold {'placed on' if hold else 'lifted from'} “{audit.title}”.",
        )
    return redirect("trail:retention")
