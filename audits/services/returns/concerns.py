"""Immediate concerns raised from a return, and the action taken on them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from auditportal.auditlog import audit_log
from audits.models import ImmediateConcern, Return
from audits.rules import may_manage_agency_returns

from .common import _enqueue

CONCERN_LIMIT = 2000


@transaction.atomic
def concern_raise(*, audit_return: Return, actor: User, description: str) -> ImmediateConcern:
    """Record an immediate concern about a child's safety now. The business team and the
    agency's safeguarding lead are e-mailed as soon as the transaction commits (in-process,
    not waiting for a worker), then again by a task for any alert that did not go; the audit
    shows a banner until the action is recorded."""
    from audits.selectors import returns_visible_to

    if not returns_visible_to(actor).filter(pk=audit_return.pk).exists():
        raise PermissionDenied
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": "Describe the concern."})
    concern = ImmediateConcern(
        audit_id=audit_return.audit_id,
        audit_return=audit_return,
        description=description,
        raised_by=actor,
    )
    concern.full_clean()
    concern.save()
    audit_log(actor=actor, code="concern.raised", target=concern)
    from audits.notifications import concern_alerts_create, concern_alerts_send_now

    concern_alerts_create(concern=concern)
    transaction.on_commit(lambda: concern_alerts_send_now(concern_id=concern.pk), robust=True)
    # The task tries again (with back-off) whatever that first try could not send.
    _enqueue("deliver_concern_alerts", about=concern, concern_id=concern.pk)
    return concern


@transaction.atomic
def concern_resolve(
    *, concern: ImmediateConcern, actor: User, action_taken: str
) -> ImmediateConcern:
    """Record the action taken on a concern, which closes it."""
    if not may_manage_agency_returns.test(actor, concern.audit_return):
        raise PermissionDenied
    action_taken = (action_taken or "").strip()
    if not action_taken:
        raise ValidationError({"action_taken": "Say what action was taken."})
    locked = ImmediateConcern.objects.select_for_update().get(pk=concern.pk)
    if locked.resolved_at is not None:
        raise ValidationError("The action on this concern has already been recorded.")
    locked.action_taken = action_taken
    locked.resolved_by = actor
    locked.resolved_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["action_taken", "resolved_by", "resolved_at"])
    audit_log(actor=actor, code="concern.resolved", target=locked)
    return locked
