"""Writes for the question bank: themes and their questions."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from accounts.models import User
from auditportal.auditlog import audit_log
from audits.models import Question, Theme

from .common import _apply, _require_business_team

__all__ = ["question_create", "question_move", "question_update", "theme_create", "theme_update"]


MAX_OPTIONS = 30
OPTION_LIMIT = 120  # AnswerTick.option max_length


# Question bank -------------------------------------------------------------------------------


def _clean_options(kind: str, options: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for option in options:
        option = option.strip()
        if option and option not in cleaned:
            cleaned.append(option)
    if kind != Question.Kind.CHECKLIST:
        return []
    if len(cleaned) < 2:
        raise ValidationError({"options": "A checklist needs at least two options, one per line."})
    if len(cleaned) > MAX_OPTIONS:
        raise ValidationError({"options": f"A checklist can have at most {MAX_OPTIONS} options."})
    too_long = [o for o in cleaned if len(o) > OPTION_LIMIT]
    if too_long:
        raise ValidationError(
            {"options": f"Each option must be at most {OPTION_LIMIT} characters long."}
        )
    return cleaned


@transaction.atomic
def theme_create(
    *, actor: User, name: str, description: str = "", order: int | None = None, active: bool = True
) -> Theme:
    _require_business_team(actor)
    if order is None:
        order = (Theme.objects.aggregate(m=Max("order"))["m"] or 0) + 10
    theme = Theme(name=name.strip(), description=description, order=order, active=active)
    theme.full_clean()
    theme.save()
    audit_log(actor=actor, code="theme.created", target=theme)
    return theme


@transaction.atomic
def theme_update(
    *, theme: Theme, actor: User, name: str, description: str, order: int | None, active: bool
) -> Theme:
    _require_business_team(actor)
    if order is None:
        order = theme.order
    changes = _apply(
        theme, {"name": name.strip(), "description": description, "order": order, "active": active}
    )
    if changes:
        theme.full_clean()
        theme.save(update_fields=list(changes))
        audit_log(actor=actor, code="theme.updated", target=theme, changes=changes)
    return theme


def _next_question_order(theme: Theme) -> int:
    return (theme.questions.aggregate(m=Max("order"))["m"] or 0) + 10


@transaction.atomic
def question_create(
    *,
    actor: User,
    theme: Theme,
    text: str,
    kind: str,
    help_text: str = "",
    options: Iterable[str] = (),
    required: bool = True,
    active: bool = True,
) -> Question:
    _require_business_team(actor)
    question = Question(
        theme=theme,
        text=text.strip(),
        kind=kind,
        help_text=help_text,
        options=_clean_options(kind, options),
        required=required,
        active=active,
        order=_next_question_order(theme),
    )
    question.full_clean()
    question.save()
    audit_log(actor=actor, code="question.created", target=question)
    return question


@transaction.atomic
def question_update(
    *,
    question: Question,
    actor: User,
    theme: Theme,
    text: str,
    kind: str,
    help_text: str,
    options: Iterable[str],
    required: bool,
    active: bool,
) -> Question:
    """Edits the bank only: question sets hold their own copies, so no audit changes."""
    _require_business_team(actor)
    fields: dict[str, Any] = {
        "theme": theme,
        "text": text.strip(),
        "kind": kind,
        "help_text": help_text,
        "options": _clean_options(kind, options),
        "required": required,
        "active": active,
    }
    if theme.pk != question.theme_id:
        fields["order"] = _next_question_order(theme)
    changes = _apply(question, fields)
    if changes:
        question.full_clean()
        question.save(update_fields=[*changes, "updated_at"])
        audit_log(actor=actor, code="question.updated", target=question, changes=changes)
    return question


@transaction.atomic
def question_move(*, question: Question, direction: str, actor: User) -> Question:
    """Swap a question with its neighbour in the same theme ("up" or "down")."""
    _require_business_team(actor)
    if direction not in {"up", "down"}:
        raise ValidationError("A question can only move up or down.")
    siblings = list(Question.objects.select_for_update().filter(theme_id=question.theme_id))
    siblings.sort(key=lambda q: (q.order, q.pk))
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(siblings):
        return question
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings):
        sibling.order = (position + 1) * 10
    Question.objects.bulk_update(siblings, ["order"])
    question.order = siblings[target].order
    audit_log(actor=actor, code="question.moved", target=question, changes={"moved": direction})
    return question
