"""Surveys made through their own services (starter questions, real hashed codes), so a test
holds the codes a letter would print."""

from dataclasses import dataclass

from audits.models import Audit
from surveys import answering, issuing, services
from surveys.models import Survey, SurveyQuestion, SurveyResponse
from tests.factories import AuditFactory


@dataclass
class OpenSurvey:
    survey: Survey
    codes: list[str]

    @property
    def questions(self) -> list[SurveyQuestion]:
        return list(self.survey.questions.order_by("order", "pk"))


def open_survey(
    *, audit: Audit | None = None, audience: str = Survey.Audience.CHILDREN, codes: int = 3,
    actor=None, label: str = "Riverbend school nurses, children",
) -> OpenSurvey:  # fmt: skip
    audit = audit or AuditFactory()
    survey = services.survey_create(audit=audit, audience=audience, actor=actor)
    survey = services.survey_open(survey=survey, actor=actor)
    issued: list[str] = []
    if codes:
        _, issued = issuing.batch_issue(
            survey=survey, label=label, size=codes, request_key=f"{survey.pk}-{label}", actor=actor
        )
    return OpenSurvey(survey, issued)


def answer_all(
    survey: Survey, code: str, *, text: str = "They listen to me now.", consent: bool = True,
    send: bool = True, pick: int = 0,
) -> SurveyResponse:  # fmt: skip
    """Answer every question of the survey with its `pick`th choice (the last where there are
    fewer) or `text`, and send it."""
    from surveys.kinds import choices_of

    response = answering.response_start(typed_code=code).response
    for question in survey.questions.order_by("order", "pk"):
        if question.kind == SurveyQuestion.Kind.TEXT:
            answering.answer_save(response=response, question=question, text=text, consent=consent)
        else:
            choices = choices_of(question)
            choice = choices[min(pick, len(choices) - 1)].value
            answering.answer_save(response=response, question=question, choice=choice)
    if send:
        answering.response_complete(response=response)
    return response
