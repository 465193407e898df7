"""Retention of identifiers: the partnership's retention period, and the purge of the record
references of given cases (the audit layer decides which cases are due: audits.retention)."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from .models import Case, Partnership, RecordReference


def retention_cutoff(*, now: datetime.datetime | None = None) -> datetime.datetime:
    """Data of an audit closed on or before this moment is past retention."""
    now = now or timezone.now()
    return now - datetime.timedelta(days=Partnership.load().retention_days)


def case_identifiers_purge(*, cases: QuerySet[Case]) -> int:
    """Delete the record references of these cases with their history rows (which hold the
    reference too); returns how many references went. Runs in the caller's transaction."""
    references = RecordReference.objects.filter(involvement__case__in=cases)
    reference_ids = list(references.values_list("pk", flat=True))
    references.delete()
    # simple-history adds `history` when the model class is made; it has no type stubs.
    history = RecordReference.history.model  # type: ignore[attr-defined]
    history.objects.filter(id__in=reference_ids).delete()
    return len(reference_ids)
