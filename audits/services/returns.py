"""Writes for returns: creation on opening, assignment, autosave, submission, amendment and
immediate concerns. E-mails are sent by audits.notifications, enqueued through the outbox in
the same transaction as the change."""

import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Model, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import User
from auditportal import outbox
from auditportal.auditlog import audit_log
from audits.answers import AnswerValue, field_anchor, validate_answer_value
from audits.models import (
    SHORT_TEXT_LIMIT,
    Answer,
    AnswerTick,
    Audit,
    ImmediateConcern,
    Question,
    QuestionSetItem,
    Return,
)
from audits.rules import may_answer_return, may_manage_agency_returns, may_send_back_return
from cases.models import CaseAgency, Membership

__all__ = [
    "ReturnConflict",
    "concern_raise",
    "concern_resolve",
    "return_reassign",
    "return_save_draft",
    "return_send_back",
    "return_submit",
    "returns_create_for_audit",
]

CONCERN_LIMIT = 2000


def _enqueue(task_name: str, *, about: Model, **kwargs: object) -> None:
    """A notification task (audits.tasks), through the outbox: it commits with the change."""
    outbox.enqueue(f"audits.{task_name}", kwargs=kwargs, ref=outbox.ref_for(about))


def _default_assignees(agency_ids: set[int]) -> dict[int, int]:
    """agency id -> the practitioner who gets its new returns: the lead, else the first member."""
    chosen: dict[int, int] = {}
    memberships = (
        Membership.objects.filter(
            agency_id__in=agency_ids, user__role=User.Role.PRACTITIONER, user__is_active=True
        )
        .order_by("-is_lead", "pk")
        .values_list("agency_id", "user_id")
    )
    for agency_id, user_id in memberships:
        chosen.setdefault(agency_id, user_id)
    return chosen


@transaction.atomic
def returns_create_for_audit(*, audit: Audit) -> list[Return]:
    """One return per case × involved agency, each assigned to the agency's lead (or its first
    member; unassigned when it has none); called by audit_open. Safe to call twice. After the
    commit every assignee is e-mailed that the audit opened."""
    existing = set(audit.returns.values_list("case_id", "agency_id"))
    involvements = [
        pair
        for pair in CaseAgency.objects.filter(samples__audit=audit).values_list(
            "case_id", "agency_id"
        )
        if pair not in existing
    ]
    assignees = _default_assignees({agency_id for _, agency_id in involvements})
    new = [
        Return(
            audit=audit, case_id=case_id, agency_id=agency_id, assignee_id=assignees.get(agency_id)
        )
        for case_id, agency_id in involvements
    ]
    created = Return.objects.bulk_create(new)
    if created:
        audit_log(
            actor=None,
            code="audit.returns_created",
            target=audit,
            changes={"returns": len(created), "assigned": sum(1 for r in new if r.assignee_id)},
        )
        _enqueue("notify_audit_opened", about=audit, audit_id=audit.pk)
    return created


@transaction.atomic
def return_reassign(*, audit_return: Return, actor: User, assignee: User) -> Return:
    """The business team or the agency's lead gives the return to another member of the agency."""
    from audits.selectors import agency_members

    if not may_manage_agency_returns.test(actor, audit_return):
        raise PermissionDenied
    if not agency_members(audit_return.agency_id).filter(pk=assignee.pk).exists():
        raise ValidationError(f"{assignee} is not a practitioner of {audit_return.agency}.")
    if audit_return.audit.status != Audit.Status.OPEN:
        raise ValidationError("Returns can be reassigned only while the audit is open.")
    if audit_return.assignee_id == assignee.pk:
        return audit_return
    previous = audit_return.assignee_id
    audit_return.assignee = assignee
    audit_return.save(update_fields=["assignee", "updated_at"])
    event = audit_log(
        actor=actor,
        code="return.reassigned",
        target=audit_return,
        changes={"assignee": [previous, assignee.pk]},
    )
    _enqueue(
        "notify_return_assigned", about=audit_return, return_id=audit_return.pk, event_id=event.pk
    )
    return audit_return


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
