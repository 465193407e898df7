"""Reads of the sample builder. The audit comes through audits.selectors (business team only);
these read its candidate list."""

from django.db.models import QuerySet

from audits.models import Audit, SampleCandidate, SampleProposal


def audit_candidates(audit: Audit) -> QuerySet[SampleCandidate]:
    """The audit's candidates, in the order of the uploaded file."""
    return SampleCandidate.objects.filter(audit=audit).order_by("row_number", "pk")


def audit_sample_proposal(audit: Audit) -> SampleProposal | None:
    return SampleProposal.objects.filter(audit=audit).first()
