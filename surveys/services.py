"""Writes of the survey builder: a survey per group of an audit, its questions (frozen once it
opens), opening and closing. Codes are issued in surveys/issuing.py; answers are written by
surveys/answering.py."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from auditportal.auditlog import audit_log
from audits.models import Audit

from .models import Survey, SurveyQuestion
from .starters import INTRODUCTIONS, QUESTIONS, TITLES

MAX_OPTIONS = 10
MAX_QUESTIONS = 20


@transaction.atomic
def survey_create(*, audit: Audit, audience: str, actor: Any) -> Survey:
    """A new survey for one group of the audit, with a starter introduction and questions."""
    if audience not in Survey.Audience.values:
        raise ValidationError({"audience": "Choose who the survey is for."})
    if Survey.objects.filter(audit=audit, audience=audience).exists():
        raise ValidationError(
            {"audience": "This audit already has a survey for that group: edit that one."}
        )
    survey = Survey(
        audit=audit,
        audience=audience,
        title=TITLES[Survey.Audience(audience)],
        introduction=INTRODUCTIONS[Survey.Audience(audience)],
    )
    survey.full_clean()
    survey.save()
    for order, (kind, text, hint) in enumerate(QUESTIONS[Survey.Audience(audience)], start=1):
        SurveyQuestion.objects.create(survey=survey, kind=kind, text=text, hint=hint, order=order)
    audit_log(actor=actor, code="survey.created", target=survey, changes={"audience": audience})
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, title: str, introduction: str, actor: Any) -> Survey:
    _require_draft(survey)
    survey.title = (title or "").strip()
    survey.introduction = (introduction or "").strip()
    errors = {}
    if not survey.title:
        errors["title"] = "Give the survey a title."
    if not survey.introduction:
        errors["introduction"] = "Say what happens to the answers: it is shown first."
    if errors:
        raise ValidationError(errors)
    survey.full_clean()
    survey.save(update_fields=["title", "introduction"])
    audit_log(actor=actor, code="survey.updated", target=survey)
    return survey


def _require_draft(survey: Survey) -> None:
    if survey.is_frozen:
        raise ValidationError(
            "The survey has opened, so its questions are frozen: answers already given must "
            "keep meaning what they meant."
        )


def _clean_question(question: SurveyQuestion, options: list[str] | None) -> None:
    question.text = (question.text or "").strip()
    question.hint = (question.hint or "").strip()
    errors: dict[str, str] = {}
    if question.kind not in SurveyQuestion.Kind.values:
        errors["kind"] = "Choose a kind of question."
    if not question.text:
        errors["text"] = "Write the question."
    cleaned = [o.strip() for o in (options or []) if o and o.strip()]
    if question.kind == SurveyQuestion.Kind.CHOICE:
        if len(cleaned) < 2:
            errors["options"] = "A pick-from-a-list question needs at least two choices."
        elif len(cleaned) > MAX_OPTIONS:
            errors["options"] = f"Offer at most {MAX_OPTIONS} choices: a long list is hard to read."
        elif len({o.lower() for o in cleaned}) != len(cleaned):
            errors["options"] = "Each choice must be different."
        elif any(len(o) > 120 for o in cleaned):
            errors["options"] = "Keep each choice under 120 characters."
        question.options = cleaned
    else:
        question.options = []
    if errors:
        raise ValidationError(errors)
    question.full_clean()


@transaction.atomic
def question_add(
    *,
    survey: Survey,
    kind: str,
    text: str,
    hint: str = "",
    options: list[str] | None = None,
    actor: Any,
) -> SurveyQuestion:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_draft(survey)
    if survey.questions.count() >= MAX_QUESTIONS:
        raise ValidationError(
            f"A survey can have at most {MAX_QUESTIONS} questions: keep it short."
        )
    last = survey.questions.aggregate(m=Max("order"))["m"] or 0
    question = SurveyQuestion(survey=survey, kind=kind, text=text, hint=hint, order=last + 1)
    _clean_question(question, options)
    question.save()
    audit_log(actor=actor, code="survey_question.created", target=question, changes={"kind": kind})
    return question


@transaction.atomic
def question_update(
    *,
    question: SurveyQuestion,
    kind: str,
    text: str,
    hint: str = "",
    options: list[str] | None = None,
    actor: Any,
) -> SurveyQuestion:
    _require_draft(Survey.objects.select_for_update().get(pk=question.survey_id))
    question.kind, question.text, question.hint = kind, text, hint
    _clean_question(question, options)
    question.save(update_fields=["kind", "text", "hint", "options"])
    audit_log(actor=actor, code="survey_question.updated", target=question, changes={"kind": kind})
    return question


@transaction.atomic
def question_delete(*, question: SurveyQuestion, actor: Any) -> None:
    _require_draft(Survey.objects.select_for_update().get(pk=question.survey_id))
    audit_log(actor=actor, code="survey_question.deleted", target=question)
    question.delete()


@transaction.atomic
def question_move(*, question: SurveyQuestion, direction: str, actor: Any) -> SurveyQuestion:
    if direction not in {"up", "down"}:
        raise ValidationError("Move a question up or down.")
    _require_draft(Survey.objects.select_for_update().get(pk=question.survey_id))
    questions = list(
        SurveyQuestion.objects.filter(survey=question.survey_id).order_by("order", "pk")
    )
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(questions):
        questions[index], questions[other] = questions[other], questions[index]
        for position, item in enumerate(questions, start=1):
            item.order = position
        SurveyQuestion.objects.bulk_update(questions, ["order"])
        audit_log(
            actor=actor,
            code="survey_question.moved",
            target=question,
            changes={"direction": direction},
        )
    question.refresh_from_db(fields=["order"])
    return question


@transaction.atomic
def survey_open(*, survey: Survey, actor: Any) -> Survey:
    """Open the survey to its codes: from now on its questions are frozen."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status == Survey.Status.OPEN:
        return survey
    if not survey.questions.exists():
        raise ValidationError("Add at least one question before opening the survey.")
    survey.status = Survey.Status.OPEN
    survey.opened_on = survey.opened_on or timezone.localdate()
    survey.closed_on = None
    survey.save(update_fields=["status", "opened_on", "closed_on"])
    audit_log(actor=actor, code="survey.opened", target=survey)
    return survey


@transaction.atomic
def survey_close(*, survey: Survey, actor: Any) -> Survey:
    """Close the survey: its codes stop working; unfinished responses are not counted."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != Survey.Status.OPEN:
        raise ValidationError("Only an open survey can be closed.")
    survey.status = Survey.Status.CLOSED
    survey.closed_on = timezone.localdate()
    survey.save(update_fields=["status", "closed_on"])
    audit_log(actor=actor, code="survey.closed", target=survey)
    return survey
