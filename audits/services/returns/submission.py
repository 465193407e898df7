"""Submitting a return, and sending it back for amendment."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from auditportal.auditlog import audit_log
from audits.answers import AnswerValue
from audits.models import SHORT_TEXT_LIMIT, Audit, QuestionSetItem, Return
from audits.rules import may_answer_return, may_send_back_return

from .common import _check_editable, _enqueue, _saved_values


def missing_required_answers(audit_return: Return) -> list[QuestionSetItem]:
    """Required questions without an answer, in order."""
    saved = _saved_values(audit_return)
    items = QuestionSetItem.objects.filter(
        question_set_id=audit_return.audit.question_set_id, required=True
    ).order_by("order", "pk")
    return [
        item
        for item in items
        if not saved.get(item.pk, AnswerValue()).is_answered(item, saved=True)
    ]


@transaction.atomic
def return_submit(*, audit_return: Return, actor: User) -> Return:
    """Submit the saved answers: every required question must be answered. The return is then
    read-only until the business team returns it for amendment."""
    locked = Return.objects.select_for_update().select_related("audit").get(pk=audit_return.pk)
    if locked.status == Return.Status.SUBMITTED:
        who = f" by {locked.submitted_by}" if locked.submitted_by_id else ""
        when = timezone.localtime(locked.submitted_at).strftime("%d %b %Y at %H:%M")
        raise ValidationError(
            f"This return was already submitted{who} on {when}. Nothing has changed.",
            code="submitted",
        )
    if not may_answer_return.test(actor, locked):
        _check_editable(locked)
        raise PermissionDenied
    missing = missing_required_answers(locked)
    if missing:
        raise ValidationError(
            {
                f"q{item.pk}": ValidationError("Answer this question.", code="required")
                for item in missing
            }
        )
    now = timezone.now()
    locked.status = Return.Status.SUBMITTED
    locked.submitted_at = now
    locked.submitted_by = actor
    locked.updated_by = actor
    locked.started_at = locked.started_at or now
    locked.version = locked.version + 1
    locked.full_clean()
    locked.save(
        update_fields=[
            "status",
            "submitted_at",
            "submitted_by",
            "updated_by",
            "updated_at",
            "started_at",
            "version",
        ]
    )
    audit_log(actor=actor, code="return.submitted", target=locked)
    return locked


@transaction.atomic
def return_send_back(*, audit_return: Return, actor: User, reason: str) -> Return:
    """The business team returns a submitted return for amendment, saying why."""
    if not may_send_back_return.test(actor, audit_return):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the return needs amending."})
    if len(reason) > SHORT_TEXT_LIMIT:
        raise ValidationError(
            {"reason": f"Keep the reason to {SHORT_TEXT_LIMIT:,} characters or fewer."}
        )
    locked = Return.objects.select_for_update().select_related("audit").get(pk=audit_return.pk)
    if locked.status != Return.Status.SUBMITTED:
        raise ValidationError("Only a submitted return can be returned for amendment.")
    if locked.audit.status != Audit.Status.OPEN:
        raise ValidationError(
            "The audit is no longer open for returns, so returns cannot be sent back."
        )
    locked.status = Return.Status.RETURNED
    locked.amendment_reason = reason
    locked.updated_by = actor
    locked.version = locked.version + 1
    locked.full_clean()
    locked.save(update_fields=["status", "amendment_reason", "updated_by", "updated_at", "version"])
    event = audit_log(actor=actor, code="return.sent_back", target=locked)
    _enqueue("notify_return_sent_back", about=locked, return_id=locked.pk, event_id=event.pk)
    return locked
