"""Writes for queries on one answer: the business team raises one on an answer of a submitted
return; the agency's practitioner replies and may change that answer (only that one) while the
return stays submitted. Every change of the answer is in its history (simple-history)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from auditportal.auditlog import audit_log
from audits.answers import AnswerValue, validate_answer_value
from audits.models import Answer, Return
from audits.query_models import QUERY_TEXT_LIMIT, AnswerQuery
from audits.rules import (
    may_close_query,
    may_raise_query,
    may_reply_query,
    works_for_agency_of_query,
)

from .returns.drafts import _write_answers

__all__ = ["query_close", "query_raise", "query_reopen", "query_reply"]


def _text(value: str, *, field: str, empty: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: empty})
    if len(value) > QUERY_TEXT_LIMIT:
        raise ValidationError({field: f"Keep it to {QUERY_TEXT_LIMIT:,} characters or fewer."})
    return value


@transaction.atomic
def query_raise(*, answer: Answer, actor: User, question: str) -> AnswerQuery:
    """Ask the agency about one answer of its submitted return, while the audit is open or in
    moderation. The return stays submitted."""
    audit_return = answer.audit_return
    if not may_raise_query.test(actor, audit_return):
        raise PermissionDenied
    question = _text(question, field="question", empty="Write the question for the agency.")
    query = AnswerQuery(
        answer=answer, audit_return=audit_return, question=question, raised_by=actor
    )
    query.full_clean()
    query._history_user = actor  # type: ignore[attr-defined]
    query.save()
    audit_log(actor=actor, code="query.raised", target=audit_return, changes={"query": query.pk})
    return query


@transaction.atomic
def query_reply(
    *, query: AnswerQuery, actor: User, reply: str, value: AnswerValue | None = None
) -> AnswerQuery:
    """Reply to an open query; with `value`, change the queried answer to it (validated as a
    return's answers are). The return stays submitted; its version moves on so any copy of it
    open elsewhere is stale."""
    locked = (
        AnswerQuery.objects.select_for_update()
        .select_related("answer__item", "audit_return__audit")
        .get(pk=query.pk)
    )
    if not locked.is_open and works_for_agency_of_query.test(actor, locked):
        if locked.is_closed:
            raise ValidationError("The business team closed this query. Nothing was changed.")
        raise ValidationError("This query has already been answered. Nothing was changed.")
    if not may_reply_query.test(actor, locked):
        raise PermissionDenied
    reply = _text(reply, field="reply", empty="Write your reply to the business team.")
    answer = locked.answer
    item = answer.item
    changed = False
    if value is not None:
        existing = Answer.objects.prefetch_related("ticks").get(pk=answer.pk)
        if AnswerValue.from_answer(existing) != value:
            validate_answer_value(item, value)
            if not value.is_answered(item, saved=True):
                raise ValidationError({f"q{item.pk}": "Answer this question."})
            _write_answers(locked.audit_return, {item.pk: value}, {item.pk: existing}, actor=actor)
            Return.objects.filter(pk=locked.audit_return_id).update(
                version=F("version") + 1, updated_at=timezone.now(), updated_by=actor
            )
            changed = True
            audit_log(
                actor=actor,
                code="query.answer_changed",
                target=locked.audit_return,
                changes={"query": locked.pk, "question": item.pk},
            )
    locked.reply = reply
    locked.replied_by = actor
    locked.replied_at = timezone.now()
    locked.status = AnswerQuery.Status.ANSWERED
    locked.full_clean()
    locked._history_user = actor
    locked.save(update_fields=["reply", "replied_by", "replied_at", "status"])
    audit_log(
        actor=actor,
        code="query.answered",
        target=locked.audit_return,
        changes={"query": locked.pk, "answer_changed": changed},
    )
    return locked


def _locked(query: AnswerQuery) -> AnswerQuery:
    return (
        AnswerQuery.objects.select_for_update()
        .select_related("audit_return__audit")
        .get(pk=query.pk)
    )


@transaction.atomic
def query_close(*, query: AnswerQuery, actor: User, note: str = "") -> AnswerQuery:
    """The business team closes a query, answered or not, with an optional note: it leaves
    My returns and the progress matrix's count of open queries."""
    locked = _locked(query)
    if not may_close_query.test(actor, locked):
        raise PermissionDenied
    if locked.is_closed:
        raise ValidationError("This query is already closed. Nothing was changed.")
    note = (note or "").strip()
    if len(note) > QUERY_TEXT_LIMIT:
        raise ValidationError({"note": f"Keep it to {QUERY_TEXT_LIMIT:,} characters or fewer."})
    was = locked.status
    locked.status = AnswerQuery.Status.CLOSED
    locked.close_note = note
    locked.closed_by = actor
    locked.closed_at = timezone.now()
    locked.full_clean()
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save(update_fields=["status", "close_note", "closed_by", "closed_at"])
    audit_log(
        actor=actor,
        code="query.closed",
        target=locked.audit_return,
        changes={"query": locked.pk, "was": was, "note": bool(note)},
    )
    return locked


@transaction.atomic
def query_reopen(*, query: AnswerQuery, actor: User) -> AnswerQuery:
    """Re-open a closed query: it is open again (the agency may reply again; its last reply
    stays until then, and the closing stays in the query's history)."""
    locked = _locked(query)
    if not may_close_query.test(actor, locked):
        raise PermissionDenied
    if not locked.is_closed:
        raise ValidationError("This query is not closed. Nothing was changed.")
    locked.status = AnswerQuery.Status.OPEN
    locked.close_note = ""
    locked.closed_by = None
    locked.closed_at = None
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save(update_fields=["status", "close_note", "closed_by", "closed_at"])
    audit_log(
        actor=actor, code="query.reopened", target=locked.audit_return, changes={"query": locked.pk}
    )
    return locked
