"""What the writes of returns share: enqueueing a notification, the saved answers, the
read-only check."""

from django.core.exceptions import ValidationError
from django.db.models import Model

from auditportal import outbox
from audits.answers import AnswerValue
from audits.models import Answer, Audit, Return


def _enqueue(task_name: str, *, about: Model, **kwargs: object) -> None:
    """A notification task (audits.tasks), through the outbox: it commits with the change."""
    outbox.enqueue(f"audits.{task_name}", kwargs=kwargs, ref=outbox.ref_for(about))


def _saved_answers(audit_return: Return) -> dict[int, Answer]:
    answers = Answer.objects.filter(audit_return=audit_return).prefetch_related("ticks")
    return {answer.item_id: answer for answer in answers}


def _saved_values(audit_return: Return) -> dict[int, AnswerValue]:
    return {
        item_id: AnswerValue.from_answer(answer)
        for item_id, answer in _saved_answers(audit_return).items()
    }


def _check_editable(audit_return: Return) -> None:
    if audit_return.status == Return.Status.SUBMITTED:
        raise ValidationError(
            "This return has been submitted and is read-only. Nothing was changed.",
            code="submitted",
        )
    if audit_return.audit.status != Audit.Status.OPEN:
        raise ValidationError(
            "The audit is no longer open for returns, so this return is read-only.",
            code="closed",
        )
