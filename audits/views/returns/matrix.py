"""The business team's progress matrix of an audit's returns."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from auditportal.auditlog import access_log
from audits.models import Return
from audits.selectors import (
    OUTSTANDING_RETURN_STATUSES,
    audit_get_for_business_team,
    progress_returns,
)

# --- Progress matrix ---------------------------------------------------------------------


@login_required
@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Cases × agencies for the business team, with counts per agency and overdue flagged."""
    audit = audit_get_for_business_team(request.user, pk)
    today = timezone.localdate()
    all_returns = progress_returns(audit)
    past_due = audit.returns_due < today
    for audit_return in all_returns:
        audit_return.is_overdue = past_due and audit_return.status in OUTSTANDING_RETURN_STATUSES

    agencies = sorted({r.agency for r in all_returns}, key=lambda a: a.name)
    try:
        agency_id = int(request.GET.get("agency", "") or 0)
    except ValueError:
        agency_id = 0
    status = request.GET.get("status", "")
    status = status if status in {*Return.Status.values, "overdue"} else ""

    def shown(r: Return) -> bool:
        if agency_id and r.agency_id != agency_id:
            return False
        if status == "overdue":
            return r.is_overdue
        return not status or r.status == status

    columns = [a for a in agencies if not agency_id or a.pk == agency_id]
    cells = {(r.case_id, r.agency_id): r for r in all_returns if shown(r)}
    cases = sorted({r.case for r in all_returns}, key=lambda c: c.pseudonym)
    rows = [
        {"case": case, "cells": [cells.get((case.pk, agency.pk)) for agency in columns]}
        for case in cases
        if any((case.pk, agency.pk) in cells for agency in columns)
    ]
    summary = [
        {
            "agency": agency,
            "expected": sum(1 for r in all_returns if r.agency_id == agency.pk),
            "submitted": sum(
                1
                for r in all_returns
                if r.agency_id == agency.pk and r.status == Return.Status.SUBMITTED
            ),
            "overdue": sum(1 for r in all_returns if r.agency_id == agency.pk and r.is_overdue),
        }
        for agency in agencies
    ]
    access_log(actor=request.user, code="audit.progress_viewed", target=audit)
    return render(
        request,
        "audits/progress.html",
        {
            "audit": audit,
            "rows": rows,
            "columns": columns,
            "agencies": agencies,
            "summary": summary,
            "total": len(all_returns),
            "submitted": sum(1 for r in all_returns if r.status == Return.Status.SUBMITTED),
            "overdue": sum(1 for r in all_returns if r.is_overdue),
            "agency_id": agency_id,
            "status": status,
            "statuses": Return.Status.choices,
            "filtered": bool(agency_id or status),
        },
    )
