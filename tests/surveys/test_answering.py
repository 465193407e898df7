import pytest
from django.core.exceptions import ValidationError

from surveys import answering, services
from surveys.codes import display
from surveys.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse

from .factories import answer_all, open_survey


def _text_question(survey: Survey) -> SurveyQuestion:
    return survey.questions.get(kind=SurveyQuestion.Kind.TEXT)


def test_one_response_per_code(db):
    opened = open_survey(codes=1)
    answer_all(opened.survey, opened.codes[0])

    with pytest.raises(answering.CodeRefused) as refused:
        answering.response_start(typed_code=opened.codes[0])

    assert refused.value.reason == answering.USED
    assert SurveyResponse.objects.count() == 1


def test_code_typed_with_dashes_spaces_and_lower_case_is_the_same_code(db):
    opened = open_survey(codes=1)
    typed = " " + display(opened.codes[0]).lower().replace("-", " - ") + " "

    started = answering.response_start(typed_code=typed)

    assert started.response.survey == opened.survey
    assert started.resumed is False


def test_unfinished_response_resumes_with_its_code_and_keeps_its_answers(db):
    opened = open_survey(codes=1)
    first = answering.response_start(typed_code=opened.codes[0])
    question = opened.questions[0]
    answering.answer_save(response=first.response, question=question, choice="3")

    again = answering.response_start(typed_code=opened.codes[0])

    assert again.resumed is True
    assert again.response.pk == first.response.pk
    assert answering.response_for_token(first.token) is None  # the new device holds it now
    assert answering.response_for_token(again.token) == first.response
    assert SurveyAnswer.objects.get(response=first.response).choice == "3"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("", answering.UNKNOWN), ("ABCD-EFGH-JKMN", answering.UNKNOWN), ("0000", answering.UNKNOWN)],
)
def test_unknown_code_is_refused_and_nothing_is_saved(db, typed, reason):
    open_survey(codes=1)

    with pytest.raises(answering.CodeRefused) as refused:
        answering.response_start(typed_code=typed)

    assert refused.value.reason == reason
    assert SurveyResponse.objects.count() == 0


def test_closed_survey_refuses_its_codes_and_its_unfinished_responses(db):
    opened = open_survey(codes=2)
    started = answering.response_start(typed_code=opened.codes[0])
    services.survey_close(survey=opened.survey, actor=None)

    with pytest.raises(answering.CodeRefused) as refused:
        answering.response_start(typed_code=opened.codes[1])
    with pytest.raises(answering.CodeRefused):
        answering.answer_save(response=started.response, question=opened.questions[0], choice="1")

    assert refused.value.reason == answering.CLOSED
    assert SurveyAnswer.objects.count() == 0
    assert answering.response_for_token(started.token) is None


def test_sent_response_takes_no_more_answers(db):
    opened = open_survey(codes=1)
    response = answer_all(opened.survey, opened.codes[0])
    before = list(SurveyAnswer.objects.values_list("choice", "text"))

    with pytest.raises(answering.CodeRefused):
        answering.answer_save(response=response, question=opened.questions[0], choice="2")

    assert list(SurveyAnswer.objects.values_list("choice", "text")) == before


def test_choice_not_offered_is_refused(db):
    opened = open_survey(codes=1)
    response = answering.response_start(typed_code=opened.codes[0]).response

    with pytest.raises(ValidationError):
        answering.answer_save(response=response, question=opened.questions[0], choice="9")

    assert SurveyAnswer.objects.count() == 0


def test_blank_answer_skips_the_question_and_clears_an_earlier_answer(db):
    opened = open_survey(codes=1)
    response = answering.response_start(typed_code=opened.codes[0]).response
    question = opened.questions[0]
    answering.answer_save(response=response, question=question, choice="2")

    answering.answer_save(response=response, question=question, choice="")

    assert SurveyAnswer.objects.count() == 0


def test_free_text_with_a_phone_number_or_email_is_accepted_and_flagged(db):
    opened = open_survey(codes=1)
    response = answering.response_start(typed_code=opened.codes[0]).response

    answer = answering.answer_save(
        response=response,
        question=_text_question(opened.survey),
        text="Ring me on 07700 900123 or write to kid@example.org",
        consent=True,
    )

    assert answer is not None
    assert answer.flags == ["phone", "email"]
    assert answer.quote_consent is True


def test_free_text_over_the_quote_limit_is_accepted_and_flagged_long(db):
    opened = open_survey(codes=1)
    response = answering.response_start(typed_code=opened.codes[0]).response

    answer = answering.answer_save(
        response=response, question=_text_question(opened.survey), text="word " * 120
    )

    assert answer is not None
    assert answer.flags == ["long"]
    assert answer.quote_consent is False  # not asked -> no consent


def test_free_text_over_the_hard_limit_is_refused_with_a_message(db):
    opened = open_survey(codes=1)
    response = answering.response_start(typed_code=opened.codes[0]).response

    with pytest.raises(ValidationError) as error:
        answering.answer_save(
            response=response, question=_text_question(opened.survey), text="x" * 4001
        )

    assert "under 4000" in " ".join(error.value.messages)
    assert SurveyAnswer.objects.count() == 0


def test_practitioners_pulse_does_not_ask_consent_to_quote(db):
    opened = open_survey(codes=1, audience=Survey.Audience.PRACTITIONERS)
    response = answering.response_start(typed_code=opened.codes[0]).response

    answer = answering.answer_save(
        response=response, question=opened.questions[0], text="Use the toolkit.", consent=True
    )

    assert answer is not None
    assert answer.quote_consent is None
