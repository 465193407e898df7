"""Writes for question sets: made from the bank, frozen when an audit opens, versioned."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from auditportal.auditlog import audit_log
from audits.models import Answer, Question, QuestionSet, QuestionSetItem

from .common import _apply, _require_business_team

__all__ = [
    "FROZEN_SET_MESSAGE",
    "questionset_create",
    "questionset_new_version",
    "questionset_update",
]


FROZEN_SET_MESSAGE = (
    "This question set is frozen because an audit using it has opened, so it cannot be "
    "changed. Make a new version of it instead."
)


# Question sets -------------------------------------------------------------------------------


def _item_from_question(question: Question, question_set: QuestionSet) -> QuestionSetItem:
    return QuestionSetItem(
        question_set=question_set,
        question=question,
        theme_id=question.theme_id,
        theme_name=question.theme.name,
        text=question.text,
        help_text=question.help_text,
        kind=question.kind,
        options=list(question.options),
        required=question.required,
    )


def _bank_order(question: Question) -> tuple:
    return (question.theme.order, question.theme.name, question.order, question.pk)


def _write_items(question_set: QuestionSet, questions: list[Question]) -> None:
    """Replace the set's items by fresh copies of questions, in bank order."""
    question_set.items.all().delete()
    items = [_item_from_question(q, question_set) for q in sorted(questions, key=_bank_order)]
    for position, item in enumerate(items):
        item.order = (position + 1) * 10
    QuestionSetItem.objects.bulk_create(items)


def _questions_with_themes(questions: Iterable[Question]) -> list[Question]:
    pks = [q.pk for q in questions]
    return list(Question.objects.select_related("theme").filter(pk__in=pks))


@transaction.atomic
def questionset_create(
    *, actor: User, name: str, questions: Iterable[Question], description: str = ""
) -> QuestionSet:
    """A new set (version 1) holding copies of the chosen bank questions."""
    _require_business_team(actor)
    chosen = _questions_with_themes(questions)
    if not chosen:
        raise ValidationError({"questions": "Choose at least one question for the set."})
    name = name.strip()
    if QuestionSet.objects.filter(name__iexact=name).exists():
        raise ValidationError(
            {"name": "A question set with this name exists: open it and make a new version."}
        )
    question_set = QuestionSet(name=name, description=description, version=1)
    question_set.full_clean()
    question_set.save()
    _write_items(question_set, chosen)
    audit_log(
        actor=actor,
        code="questionset.created",
        target=question_set,
        changes={"questions": len(chosen)},
    )
    return question_set


@transaction.atomic
def questionset_update(
    *,
    question_set: QuestionSet,
    actor: User,
    name: str,
    description: str,
    questions: Iterable[Question],
) -> QuestionSet:
    """Edit a set that no audit has opened with: its items are re-copied from the bank."""
    _require_business_team(actor)
    locked = QuestionSet.objects.select_for_update().get(pk=question_set.pk)
    # Answered items are as good as frozen: re-copying them would orphan the answers.
    if locked.is_frozen or Answer.objects.filter(item__question_set=locked).exists():
        raise ValidationError(FROZEN_SET_MESSAGE)
    chosen = _questions_with_themes(questions)
    if not chosen:
        raise ValidationError({"questions": "Choose at least one question for the set."})
    changes = _apply(question_set, {"name": name.strip(), "description": description})
    question_set.full_clean()
    if changes:
        question_set.save(update_fields=list(changes))
    before = set(question_set.items.values_list("question_id", flat=True))
    _write_items(question_set, chosen)
    after = {q.pk for q in chosen}
    changes["questions"] = [str(len(before)), str(len(after))]
    audit_log(actor=actor, code="questionset.updated", target=question_set, changes=changes)
    return question_set


@transaction.atomic
def questionset_new_version(*, question_set: QuestionSet, actor: User) -> QuestionSet:
    """Clone a frozen set, items and all, as the next version of the same name (not frozen)."""
    _require_business_team(actor)
    if not question_set.is_frozen:
        raise ValidationError(
            "This question set is not frozen yet: edit it directly instead of making a version."
        )
    latest = QuestionSet.objects.filter(name=question_set.name).aggregate(m=Max("version"))["m"]
    clone = QuestionSet(
        name=question_set.name,
        description=question_set.description,
        version=(latest or 0) + 1,
        based_on=question_set,
    )
    clone.full_clean()
    clone.save()
    items = []
    for item in question_set.items.all():
        item.pk = None
        item.question_set = clone
        items.append(item)
    QuestionSetItem.objects.bulk_create(items)
    audit_log(
        actor=actor,
        code="questionset.versioned",
        target=clone,
        changes={"based_on": str(question_set)},
    )
    return clone


def questionset_freeze(
    *, question_set: QuestionSet, at: datetime.datetime | None = None
) -> QuestionSet:
    """Freeze a set for good (the first audit opening with it does): from then on its items
    stay as they are and changes go into a new version. Freezing twice keeps the first date."""
    if question_set.frozen_at is None:
        question_set.frozen_at = at or timezone.now()
        question_set.save(update_fields=["frozen_at"])
    return question_set
