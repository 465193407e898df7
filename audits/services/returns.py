"""Writes for returns: creation on opening, assignment, autosave, submission, amendment,
immediate concerns and notifications."""

from django.db import transaction

from audits.models import Audit, Return
from cases.models import CaseAgency

__all__ = ["returns_create_for_audit"]


@transaction.atomic
def returns_create_for_audit(*, audit: Audit) -> list[Return]:
    """One return per case × involved agency; called by audit_open. Safe to call twice."""
    existing = set(audit.returns.values_list("case_id", "agency_id"))
    involvements = CaseAgency.objects.filter(case__audit=audit).values_list("case_id", "agency_id")
    new = [
        Return(audit=audit, case_id=case_id, agency_id=agency_id)
        for case_id, agency_id in involvements
        if (case_id, agency_id) not in existing
    ]
    return Return.objects.bulk_create(new)
