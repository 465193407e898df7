"""The audit trail: call `audit_log` inside the service that makes a change (same transaction),
and `access_log` from a view that shows a return, a record reference or a briefing PDF."""

from typing import Any

from django.db import models

from .models import AuditEvent


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


def access_log(*, actor: Any, verb: str, target: models.Model) -> AuditEvent:
    return audit_log(actor=actor, verb=verb, target=target, kind=AuditEvent.Kind.ACCESS)
