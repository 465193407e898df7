"""The audit trail: call `audit_log` inside the service that makes a change (same transaction),
and `access_log` from every view that shows case-level data. Both take a registered code
(`<app>/events.py`); its kind (change, access, security) comes from the registry."""

from collections.abc import Sequence
from typing import Any

from django.db import models

from .models import AccessedRecord, AuditEvent
from .trail_registry import event_kind


def _label(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "system"
    return actor.get_username()


def audit_log(
    *,
    actor: Any,
    code: str,
    target: models.Model | None = None,
    changes: dict | None = None,
) -> AuditEvent:
    kind = event_kind(code)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=_label(actor),
        kind=kind.kind,
        code=code,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        changes=changes or {},
    )


def access_log(
    *,
    actor: Any,
    code: str,
    target: models.Model | None,
    changes: dict | None = None,
    listed: Sequence[models.Model] = (),
) -> AuditEvent:
    """A view of case-level data (a child's pseudonym, record reference, case details, answers
    or evidence, a briefing's text): one row per page shown, with an access code.
    tests/security/test_access_trail.py walks every URL and checks each case-level page writes
    one. A list page names what it showed in `listed`, so each of those records' trail finds
    the row."""
    if event_kind(code).kind != AuditEvent.Kind.ACCESS:
        raise ValueError(f"{code!r} is not an access code: use audit_log for a change.")
    event = audit_log(actor=actor, code=code, target=target, changes=changes)
    AccessedRecord.objects.bulk_create(
        AccessedRecord(event=event, target_type=record._meta.label_lower, target_id=str(record.pk))
        for record in listed
    )
    return event
