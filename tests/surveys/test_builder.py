import pytest
from django.core.exceptions import ValidationError

from auditportal.models import AuditEvent
from surveys import issuing, services
from surveys.codes import code_hash
from surveys.models import CodeBatch, Survey, SurveyCode, SurveyQuestion
from surveys.plain_language import plain_language_check
from tests.factories import AuditFactory

from .factories import open_survey


def test_new_survey_starts_with_plain_questions_and_says_what_happens_to_answers(db, business):
    survey = services.survey_create(
        audit=AuditFactory(), audience=Survey.Audience.CHILDREN, actor=business
    )

    kinds = list(survey.questions.values_list("kind", flat=True))
    assert kinds == ["scale3", "yes_not_sure_no", "yes_not_sure_no", "text"]
    assert "Nobody can tell which answers are yours" in survey.introduction
    assert all(plain_language_check(q.text).is_plain for q in survey.questions.all())
    assert AuditEvent.objects.filter(code="survey.created").count() == 1


def test_one_survey_per_group_of_an_audit(db, business):
    audit = AuditFactory()
    services.survey_create(audit=audit, audience=Survey.Audience.PARENTS, actor=business)

    with pytest.raises(ValidationError):
        services.survey_create(audit=audit, audience=Survey.Audience.PARENTS, actor=business)

    assert Survey.objects.filter(audit=audit).count() == 1


def test_questions_are_frozen_once_the_survey_opens(db, business):
    opened = open_survey(actor=business)
    question = opened.questions[0]

    with pytest.raises(ValidationError, match="frozen"):
        services.question_update(question=question, kind="scale5", text="Changed?", actor=business)
    with pytest.raises(ValidationError, match="frozen"):
        services.question_add(survey=opened.survey, kind="text", text="New?", actor=business)
    with pytest.raises(ValidationError, match="frozen"):
        services.question_delete(question=question, actor=business)

    question.refresh_from_db()
    assert question.kind == "scale3"
    assert opened.survey.questions.count() == 4


def test_pick_from_a_list_needs_two_different_choices(db, business):
    survey = services.survey_create(
        audit=AuditFactory(), audience=Survey.Audience.PARENTS, actor=business
    )

    with pytest.raises(ValidationError) as error:
        services.question_add(
            survey=survey, kind="choice", text="Which service?", options=["School", " school "],
            actor=business,
        )  # fmt: skip
    question = services.question_add(
        survey=survey, kind="choice", text="Which service?", options=["School", "GP", ""],
        actor=business,
    )  # fmt: skip

    assert error.value.message_dict == {"options": ["Each choice must be different."]}
    assert question.options == ["School", "GP"]


def test_opening_an_empty_survey_is_refused(db, business):
    survey = services.survey_create(
        audit=AuditFactory(), audience=Survey.Audience.PARENTS, actor=business
    )
    survey.questions.all().delete()

    with pytest.raises(ValidationError, match="at least one question"):
        services.survey_open(survey=survey, actor=business)

    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT


def test_plain_language_check_points_at_long_sentences_and_long_words():
    report = plain_language_check(
        "Do you feel that the professionals involved in supporting your family communicate "
        "effectively with each other and with you?"
    )

    assert report.is_plain is False
    assert len(report.long_sentences) == 1
    assert report.long_words == ["professionals", "communicate", "effectively"]
    assert plain_language_check("Do you feel safe at home?").is_plain is True


def test_batch_keeps_only_hashes_of_its_codes(db, business):
    opened = open_survey(codes=5, actor=business)

    stored = set(SurveyCode.objects.values_list("code_hash", flat=True))

    assert stored == {code_hash(c) for c in opened.codes}
    assert not any(c in h for c in opened.codes for h in stored)
    assert len(set(opened.codes)) == 5
    assert CodeBatch.objects.get().size == 5


def test_the_same_batch_form_sent_twice_makes_one_batch(db, business):
    opened = open_survey(codes=0, actor=business)
    issuing.batch_issue(
        survey=opened.survey, label="Early help, parents", size=3, request_key="k1", actor=business
    )

    with pytest.raises(ValidationError, match="already made"):
        issuing.batch_issue(
            survey=opened.survey, label="Early help, parents", size=3, request_key="k1",
            actor=business,
        )  # fmt: skip

    assert SurveyCode.objects.count() == 3


@pytest.mark.parametrize(("label", "size"), [("", 3), ("Schools", 0), ("Schools", 501)])
def test_batch_needs_a_label_and_a_sensible_size(db, business, label, size):
    opened = open_survey(codes=0, actor=business)

    with pytest.raises(ValidationError):
        issuing.batch_issue(
            survey=opened.survey, label=label, size=size, request_key="k", actor=business
        )

    assert CodeBatch.objects.count() == 0


def test_question_kinds_are_the_five_of_the_issue():
    assert SurveyQuestion.Kind.values == ["scale3", "scale5", "yes_not_sure_no", "choice", "text"]
