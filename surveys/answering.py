"""What a respondent does, with a code and no sign-in: start (or resume) a response, answer
one question a screen, and send it. One response per code: the code's one-to-one response.

Every write checks the survey is open and the response not yet sent, so a closed survey or a
used code saves nothing. Nothing about the respondent is stored (surveys/models.py).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .codes import code_hash, is_well_formed, resume_token, token_hash
from .kinds import choices_of
from .models import (
    TEXT_HARD_LIMIT,
    Survey,
    SurveyAnswer,
    SurveyCode,
    SurveyQuestion,
    SurveyResponse,
)
from .screening import text_flags

# Why a code cannot be used, for the friendly page (surveys/views/public.py).
UNKNOWN, USED, CLOSED, NOT_OPEN = "unknown", "used", "closed", "not_open"


class CodeRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Started:
    response: SurveyResponse
    token: str  # for the cookie; only its hash is stored
    resumed: bool


def _survey_refusal(survey: Survey) -> str | None:
    if survey.status == Survey.Status.CLOSED:
        return CLOSED
    if survey.status == Survey.Status.DRAFT:
        return NOT_OPEN
    return None


def code_find(typed: str) -> SurveyCode:
    """The code someone typed or scanned, or CodeRefused saying why it cannot be used."""
    if not is_well_formed(typed):
        raise CodeRefused(UNKNOWN)
    code = (
        SurveyCode.objects.select_related("batch__survey", "response")
        .filter(code_hash=code_hash(typed))
        .first()
    )
    if code is None:
        raise CodeRefused(UNKNOWN)
    refusal = _survey_refusal(code.batch.survey)
    if refusal:
        raise CodeRefused(refusal)
    response = getattr(code, "response", None)
    if response is not None and response.is_complete:
        raise CodeRefused(USED)
    return code


@transaction.atomic
def response_start(*, typed_code: str) -> Started:
    """Start a response for the code, or carry on the unfinished one it already has (on any
    device that holds the code: the code is the secret). A sent response refuses (USED)."""
    found = code_find(typed_code)
    code = SurveyCode.objects.select_for_update().get(pk=found.pk)
    token, hashed = resume_token()
    response = SurveyResponse.objects.filter(code=code).first()
    if response is not None:
        if response.is_complete:
            raise CodeRefused(USED)
        response.resume_hash = hashed
        response.save(update_fields=["resume_hash"])
        return Started(response, token, resumed=True)
    response = SurveyResponse.objects.create(
        code=code, survey=found.batch.survey, resume_hash=hashed
    )
    return Started(response, token, resumed=False)


def response_for_token(token: str | None) -> SurveyResponse | None:
    """The unfinished response this device's cookie belongs to, on an open survey."""
    if not token:
        return None
    response = (
        SurveyResponse.objects.select_related("survey")
        .filter(resume_hash=token_hash(token), completed_on__isnull=True)
        .first()
    )
    if response is None or _survey_refusal(response.survey):
        return None
    return response


def _require_answerable(response: SurveyResponse) -> Survey:
    survey = Survey.objects.get(pk=response.survey_id)
    refusal = _survey_refusal(survey)
    if refusal:
        raise CodeRefused(refusal)
    if SurveyResponse.objects.filter(pk=response.pk, completed_on__isnull=False).exists():
        raise CodeRefused(USED)
    return survey


@transaction.atomic
def answer_save(
    *,
    response: SurveyResponse,
    question: SurveyQuestion,
    choice: str = "",
    text: str = "",
    consent: bool | None = None,
) -> SurveyAnswer | None:
    """Save (or clear, when left blank: every question may be skipped) one answer. Free text is
    taken as written and flagged (long, phone, e-mail, name) for the business team."""
    survey = _require_answerable(response)
    if question.survey_id != survey.pk:
        raise ValidationError("That question is not in this survey.")
    choice = (choice or "").strip()
    text = (text or "").strip()
    if question.kind == SurveyQuestion.Kind.TEXT:
        choice = ""
        if len(text) > TEXT_HARD_LIMIT:
            raise ValidationError(
                {
                    "text": f"That is more than we can keep ({len(text)} characters): please keep "
                    f"it under {TEXT_HARD_LIMIT}."
                }
            )
    else:
        text = ""
        if choice and choice not in {c.value for c in choices_of(question)}:
            raise ValidationError({"choice": "Choose one of the answers shown."})
    if not choice and not text:
        SurveyAnswer.objects.filter(response=response, question=question).delete()
        return None
    asks_consent = survey.audience != Survey.Audience.PRACTITIONERS
    answer, _ = SurveyAnswer.objects.update_or_create(
        response=response,
        question=question,
        defaults={
            "choice": choice,
            "text": text,
            "quote_consent": (consent is True) if (text and asks_consent) else None,
            "flags": text_flags(text) if text else [],
        },
    )
    return answer


def step_save(*, response: SurveyResponse, step: int) -> None:
    _require_answerable(response)
    response.step = step
    response.save(update_fields=["step"])


@transaction.atomic
def response_complete(*, response: SurveyResponse) -> SurveyResponse:
    """Send the response: counted from now on, and its code is used."""
    SurveyResponse.objects.select_for_update().get(pk=response.pk)
    _require_answerable(response)
    response.completed_on = timezone.localdate()
    response.save(update_fields=["completed_on"])
    return response
