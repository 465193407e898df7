"""The audit trail: call `audit_log` inside the service that makes a change (same transaction),
and `access_log` from every view that shows case-level data."""

from collections.abc import Sequence
from typing import Any

from django.db import models

from .models import AccessedRecord, AuditEvent


def _label(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "system"
    return actor.get_username()


def audit_log(
    *,
    actor: Any,
    verb: str,
    target: models.Model | None = None,
    changes: dict | None = None,
    kind: str = AuditEvent.Kind.CHANGE,
) -> AuditEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=_label(actor),
        kind=kind,
        verb=verb,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        changes=changes or {},
    )


def access_log(
    *,
    actor: Any,
    verb: str,
    target: models.Model | None,
    changes: dict | None = None,
    listed: Sequence[models.Model] = (),
) -> AuditEvent:
    """A view of case-level data (a child's pseudonym, record reference, case details, answers
    or evidence, a briefing's text): one row per page shown. tests/security/test_access_trail.py
    walks every URL and checks each case-level page writes one. A list page names what it
    showed in `listed`, so each of those records' trail finds the row."""
    event = audit_log(
        actor=actor, verb=verb, target=target, changes=changes, kind=AuditEvent.Kind.ACCESS
    )
    AccessedRecord.objects.bulk_create(
        AccessedRecord(event=event, target_type=record._meta.label_lower, target_id=str(record.pk))
        for record in listed
    )
    return event
