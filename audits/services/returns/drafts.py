"""Saving a return's answers as a draft (autosave), refused when someone saved since."""

import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import User
from auditportal.auditlog import audit_log
from audits.answers import AnswerValue, field_anchor, validate_answer_value
from audits.models import Answer, AnswerTick, Question, QuestionSetItem, Return
from audits.rules import may_answer_return

from .common import _check_editable, _saved_answers, _saved_values


@dataclass
class ChangedQuestion:
    item_id: int
    anchor: str
    question: str
    saved: str  # the answer as now saved, in words
    yours: str  # the answer this save carried, in words

    @property
    def sentence(self) -> str:
        """The difference as a sentence: 'The saved answer to “…?” is “Good”; this page has
        “Inadequate”.'"""
        unanswered = "no answer"
        if self.saved == unanswered:
            first = f"“{self.question}” has no saved answer"
        else:
            first = f"The saved answer to “{self.question}” is “{self.saved}”"
        if self.yours == unanswered:
            return f"{first}; this page leaves it unanswered."
        return f"{first}; this page has “{self.yours}”."


class ReturnConflict(ValidationError):
    """Someone saved the return since this copy was loaded: nothing was written. When that
    someone is the same user (another tab or window), the message says so instead of naming
    them to themselves."""

    def __init__(
        self, *, audit_return: Return, changed: list[ChangedQuestion], actor: User | None = None
    ):
        when = timezone.localtime(audit_return.updated_at).strftime("%H:%M on %d %b %Y")
        self.same_user = actor is not None and audit_return.updated_by_id == actor.pk
        if self.same_user:
            message = (
                f"This return was saved in another tab or window at {when}, after this page "
                "was opened. The changes on this page were not saved, so nothing saved there "
                "was overwritten."
            )
        else:
            who = audit_return.updated_by or "someone"
            message = (
                f"{who} saved this return at {when}, after you opened it. Your changes were not "
                "saved, so nothing of theirs was overwritten."
            )
        super().__init__(message, code="conflict")
        self.audit_return = audit_return
        self.changed = changed
        self.current_version = audit_return.version


@transaction.atomic
def return_save_draft(
    *,
    audit_return: Return,
    actor: User,
    data: dict[int, AnswerValue],
    base_version: int,
    base_data: dict[int, AnswerValue] | Callable[[], dict[int, AnswerValue] | None] | None = None,
) -> Return:
    """Save answers as a draft, only if nobody saved since `base_version` was loaded.

    The version check and increment is one conditional UPDATE (`WHERE version = base`), so of
    two saves from the same base exactly one wins; the other raises ReturnConflict naming the
    questions whose saved answer differs from what that user had (`base_data`, the answers as
    they loaded them, when the page sends it; else from what they tried to save). `base_data`
    may be a function giving them, called only on a conflict.
    """
    if not may_answer_return.test(actor, audit_return):
        _check_editable(audit_return)
        raise PermissionDenied
    items = {
        item.pk: item
        for item in QuestionSetItem.objects.filter(
            question_set_id=audit_return.audit.question_set_id
        )
    }
    unknown = set(data) - set(items)
    if unknown:
        raise ValidationError("The form does not match this audit's questions. Reload the page.")
    for item_id, value in data.items():
        validate_answer_value(items[item_id], value)

    now = timezone.now()
    won = Return.objects.filter(
        pk=audit_return.pk,
        version=base_version,
        status__in=[Return.Status.NOT_STARTED, Return.Status.IN_PROGRESS, Return.Status.RETURNED],
    ).update(version=F("version") + 1, updated_at=now, updated_by=actor)
    if not won:
        current = Return.objects.select_related("updated_by", "audit").get(pk=audit_return.pk)
        _check_editable(current)
        saved = _saved_values(current)
        if callable(base_data):
            base_data = base_data()
        reference = base_data if base_data is not None else data
        changed = [
            ChangedQuestion(
                item_id=item_id,
                anchor=field_anchor(item),
                question=item.text,
                saved=saved.get(item_id, AnswerValue()).display(item),
                yours=data.get(item_id, AnswerValue()).display(item),
            )
            for item_id, item in sorted(items.items(), key=lambda pair: (pair[1].order, pair[0]))
            if saved.get(item_id, AnswerValue()) != reference.get(item_id, AnswerValue())
        ]
        raise ReturnConflict(audit_return=current, changed=changed, actor=actor)

    answers = _saved_answers(audit_return)
    saved = {item_id: AnswerValue.from_answer(answer) for item_id, answer in answers.items()}
    # A checklist gets its row on first save even with nothing ticked: "none of these" is an
    # answer, and the row is how progress knows the question was seen.
    changed_ids = [
        item_id
        for item_id, value in data.items()
        if saved.get(item_id, AnswerValue()) != value
        or (item_id not in saved and items[item_id].kind == Question.Kind.CHECKLIST)
    ]
    _write_answers(
        audit_return, {item_id: data[item_id] for item_id in changed_ids}, answers, actor=actor
    )

    audit_return.refresh_from_db(fields=["version", "updated_at", "updated_by", "status"])
    if audit_return.status == Return.Status.NOT_STARTED:
        audit_return.status = Return.Status.IN_PROGRESS
        audit_return.started_at = now
        audit_return.save(update_fields=["status", "started_at"])
    # Item ids only: answers can hold personal data and never go into the audit trail.
    audit_log(
        actor=actor,
        code="return.saved",
        target=audit_return,
        changes={"version": audit_return.version, "questions": changed_ids},
    )
    return audit_return


def _write_answers(
    audit_return: Return,
    changes: dict[int, AnswerValue],
    existing: dict[int, Answer],
    *,
    actor: User,
) -> None:
    """Write the changed answers; `existing` are the saved rows with their ticks (read after the
    version update, so nobody else can change them before this transaction ends). A fixed
    number of queries however many answers changed (a first save, or a submission, can change
    all thirty): one UPDATE and one INSERT for the answers, one INSERT each for their history
    rows, and one DELETE and one INSERT for checklist ticks."""
    now = timezone.now()
    written: dict[int, Answer] = {}
    for item_id, value in changes.items():
        answer = existing.get(item_id) or Answer(audit_return=audit_return, item_id=item_id)
        answer.choice = value.choice
        answer.number = value.number
        answer.text = value.text
        answer.evidence = value.evidence
        answer.updated_at = now
        # Moderation fields are the moderation service's: leaving them out also skips the
        # check constraint on them, which Django evaluates with a query (and a savepoint) per
        # answer. The database still enforces it.
        answer.full_clean(exclude=["audit_return", "item", "moderated_choice", "moderation_reason"])
        written[item_id] = answer
    updated = [answer for item_id, answer in written.items() if item_id in existing]
    created = [answer for item_id, answer in written.items() if item_id not in existing]
    # The history rows name the actor, as a save() through the request middleware would.
    if updated:
        bulk_update_with_history(
            updated,
            Answer,
            ["choice", "number", "text", "evidence", "updated_at"],
            default_user=actor,
            default_date=now,
        )
    if created:
        bulk_create_with_history(created, Answer, default_user=actor, default_date=now)

    unticked: list[Q] = []
    ticked: list[AnswerTick] = []
    for item_id, value in changes.items():
        old_ticks = AnswerValue.from_answer(existing.get(item_id)).ticks
        if old_ticks - value.ticks:
            unticked.append(Q(answer=written[item_id], option__in=old_ticks - value.ticks))
        ticked += [
            AnswerTick(answer=written[item_id], option=option)
            for option in sorted(value.ticks - old_ticks)
        ]
    if unticked:
        AnswerTick.objects.filter(reduce(operator.or_, unticked)).delete()
    if ticked:
        AnswerTick.objects.bulk_create(ticked)
