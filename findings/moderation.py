"""Moderation grades: at the moderation meeting the business team may set a grade beside an
agency's grade, with a reason. Results can then be read on agency or moderated grades."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from auditportal.auditlog import audit_log
from audits.models import Answer, Audit, Grade, Question, Return

MODERATION_STATUSES = (Audit.Status.MODERATION, Audit.Status.FINDINGS_AGREED)


def answer_can_be_moderated(answer: Answer) -> bool:
    return (
        answer.item.kind == Question.Kind.GRADE
        and answer.audit_return.status == Return.Status.SUBMITTED
        and answer.audit_return.audit.status in MODERATION_STATUSES
    )


@transaction.atomic
def answer_moderate(*, answer: Answer, moderated_choice: str, reason: str, actor) -> Answer:
    """Record (or, with an empty moderated_choice, clear) the moderated grade of a grade answer.
    Only while the audit is in moderation or its findings are agreed, on a submitted return.
    A moderated grade needs a reason; clearing one also clears its reason."""
    answer = (
        Answer.objects.select_for_update()
        .select_related("item", "audit_return__audit")
        .get(pk=answer.pk)
    )
    moderated_choice = (moderated_choice or "").strip()
    reason = (reason or "").strip()
    if answer.item.kind != Question.Kind.GRADE:
        raise ValidationError("Only grade answers can have a moderated grade.")
    if answer.audit_return.status != Return.Status.SUBMITTED:
        raise ValidationError("Only answers in submitted returns can be moderated.")
    if answer.audit_return.audit.status not in MODERATION_STATUSES:
        raise ValidationError(
            "Moderated grades can be recorded only while the audit is in moderation "
            "or its findings are agreed."
        )
    if moderated_choice and moderated_choice not in Grade.values:
        raise ValidationError("Choose a grade from the list.")
    if moderated_choice and not reason:
        raise ValidationError("Give a reason for the moderated grade.")

    before = {"moderated_choice": answer.moderated_choice}
    answer.moderated_choice = moderated_choice
    answer.moderation_reason = reason if moderated_choice else ""
    answer.moderated_by = actor if moderated_choice else None
    answer.moderated_at = timezone.now() if moderated_choice else None
    answer.full_clean()
    answer.save(
        update_fields=[
            "moderated_choice",
            "moderation_reason",
            "moderated_by",
            "moderated_at",
            "updated_at",
        ]
    )
    audit_log(
        actor=actor,
        code="answer.moderated" if moderated_choice else "answer.moderation_cleared",
        target=answer,
        changes={
            "moderated_choice": [before["moderated_choice"], moderated_choice],
            "agency_choice": answer.choice,
        },
    )
    return answer
