"""The business team's survey pages, through the test client (statuses per role are in the
one URL walk, tests/security/test_url_permissions.py)."""

import pytest
from django.urls import reverse

from cases.models import Partnership
from findings.models import Quote
from surveys.models import CodeBatch, Survey, SurveyCode, SurveyQuestion
from tests.factories import AuditFactory

from .factories import answer_all, open_survey


def test_business_team_makes_a_survey_for_children_and_one_for_parents(client, business):
    audit = AuditFactory()
    client.force_login(business)

    for audience in ("children", "parents"):
        client.post(reverse("surveys:survey-create", args=[audit.pk]), {"audience": audience})
    page = client.get(reverse("surveys:survey-list", args=[audit.pk])).content.decode()

    assert sorted(Survey.objects.values_list("audience", flat=True)) == ["children", "parents"]
    assert "Children and young people" in page and "Parents and carers" in page


def test_plain_language_check_answers_htmx_while_writing(client, business):
    survey = open_survey(codes=0).survey
    client.force_login(business)

    long = client.post(
        reverse("surveys:survey-plain-language", args=[survey.pk]),
        {"text": "How satisfactory was the communication between the organisations involved?"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    short = client.post(
        reverse("surveys:survey-plain-language", args=[survey.pk]),
        {"text": "Did they listen to you?"},
        HTTP_HX_REQUEST="true",
    ).content.decode()

    assert "Long words: satisfactory, communication, organisations" in long
    assert "Plain language:" in short


def test_adding_a_question_to_a_draft_survey(client, business):
    audit = AuditFactory()
    client.force_login(business)
    client.post(reverse("surveys:survey-create", args=[audit.pk]), {"audience": "parents"})
    survey = Survey.objects.get()

    response = client.post(
        reverse("surveys:survey-question-create", args=[survey.pk]),
        {"kind": "choice", "text": "Which service   helped most?", "options": "School\nGP\n"},
    )

    assert response.status_code == 302
    question = survey.questions.order_by("-order").first()
    assert (question.kind, question.text, question.options) == (
        "choice", "Which service helped most?", ["School", "GP"],
    )  # fmt: skip


def test_a_bad_question_shows_a_message_and_saves_nothing(client, business):
    audit = AuditFactory()
    client.force_login(business)
    client.post(reverse("surveys:survey-create", args=[audit.pk]), {"audience": "parents"})
    survey = Survey.objects.get()
    before = survey.questions.count()

    response = client.post(
        reverse("surveys:survey-question-create", args=[survey.pk]),
        {"kind": "choice", "text": "Which?", "options": "Only one"},
    )

    assert response.status_code == 200
    assert "at least two choices" in response.content.decode()
    assert survey.questions.count() == before


def test_issuing_codes_shows_the_letters_once_with_qr_codes_and_links(client, business):
    survey = open_survey(codes=0).survey
    client.force_login(business)
    form = client.get(reverse("surveys:survey-batch-create", args=[survey.pk]))
    key = form.context["form"].initial["request_key"]

    letters = client.post(
        reverse("surveys:survey-batch-create", args=[survey.pk]),
        {"label": "Riverbend school nurses", "size": 3, "request_key": key},
    )
    again = client.post(
        reverse("surveys:survey-batch-create", args=[survey.pk]),
        {"label": "Riverbend school nurses", "size": 3, "request_key": key},
    )

    html = letters.content.decode()
    assert html.count('<article class="survey-letter"') == 3
    assert html.count('src="data:image/svg+xml;base64,') == 3
    assert html.count("http://testserver/s/") >= 3 or html.count("/s/") >= 6
    assert letters["Cache-Control"].count("no-store") == 1
    assert "already made" in again.content.decode()
    assert CodeBatch.objects.get().label == "Riverbend school nurses"
    assert SurveyCode.objects.count() == 3


@pytest.mark.parametrize("n", [1, 3])
def test_results_page_query_count(client, business, django_assert_num_queries, n):
    opened = open_survey(codes=n)
    for code in opened.codes:
        answer_all(opened.survey, code)
    Partnership.load()
    client.force_login(business)
    url = reverse("surveys:survey-results", args=[opened.survey.pk])

    # session, user, OTP device, survey with its audit (among the visible audits), sent
    # responses, questions, answers counted, the access row, partnership settings
    with django_assert_num_queries(9):
        response = client.get(url)

    assert response.status_code == 200
    assert "Not good" in response.content.decode()


@pytest.mark.parametrize("n", [1, 3])
def test_survey_quotes_page_query_count(client, business, django_assert_num_queries, n):
    audit = AuditFactory()
    opened = open_survey(audit=audit, codes=n)
    for code in opened.codes:
        answer_all(opened.survey, code)
    client.force_login(business)
    url = reverse("findings:survey-quotes", args=[audit.pk])

    # session, user, OTP device, audit, candidates (answers with their questions, surveys
    # and quotes, in one query)
    with django_assert_num_queries(5):
        response = client.get(url)

    assert response.status_code == 200
    assert response.content.decode().count("young person, survey") == n


def test_business_team_approves_an_edited_quote_beside_the_original(client, business):
    opened = open_survey(codes=1)
    answer_all(opened.survey, opened.codes[0], text="My worker Sam at Oak School listens.")
    answer = opened.survey.questions.get(kind=SurveyQuestion.Kind.TEXT).answers.get()
    client.force_login(business)
    url = reverse("findings:survey-quote-review", args=[answer.pk])

    page = client.get(url).content.decode()
    refused = client.post(
        url,
        {"text": "My worker listens.", "source_label": "young person, survey", "action": "approve"},
    )
    approved = client.post(
        url,
        {"text": "My worker listens.", "source_label": "young person, survey",
         "checked": "on", "action": "approve"},
    )  # fmt: skip

    assert "My worker Sam at Oak School listens." in page
    assert "may have a name in it" in page
    assert refused.status_code == 200 and "confirm you have taken out" in refused.content.decode()
    assert approved.status_code == 302
    quote = Quote.objects.get()
    assert (quote.text, quote.approved_by) == ("My worker listens.", business)


@pytest.mark.parametrize("audiences", [["children"], ["children", "parents", "practitioners"]])
def test_survey_list_query_count(client, business, django_assert_num_queries, audiences):
    audit = AuditFactory()
    for audience in audiences:
        open_survey(audit=audit, audience=audience, codes=2, label=f"Batch {audience}")
    client.force_login(business)
    url = reverse("surveys:survey-list", args=[audit.pk])

    # session, user, OTP device, audit, surveys with responses counted, codes issued
    with django_assert_num_queries(6):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("batches", [1, 3])
def test_survey_detail_query_count(client, business, django_assert_num_queries, batches):
    from surveys import issuing

    opened = open_survey(codes=0)
    for n in range(batches):
        issuing.batch_issue(
            survey=opened.survey, label=f"Batch {n}", size=2, request_key=f"k{n}", actor=business
        )
    client.force_login(business)
    url = reverse("surveys:survey-detail", args=[opened.survey.pk])

    # session, user, OTP device, survey with its audit, questions, batches with agencies,
    # the audit's surveys with responses counted, codes issued
    with django_assert_num_queries(8):
        response = client.get(url)

    assert response.status_code == 200
