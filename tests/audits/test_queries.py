"""Queries on one answer: raised by the business team on a submitted return; the agency
replies and may change that answer only, while the return stays submitted; every change is in
the answer's history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audits.answers import AnswerValue, evidence_name, field_name
from audits.models import Answer, AnswerQuery, Audit, Return
from audits.services.queries import query_raise, query_reply
from tests.audits.returns_builders import build_open_audit, complete_post


@pytest.fixture
def built(agency_a, agency_b, client_as, practitioner, other_practitioner):
    built = build_open_audit(agencies=[agency_a, agency_b])
    for agency, user in ((agency_a, practitioner), (agency_b, other_practitioner)):
        audit_return = built.return_for(agency)
        client = client_as(user)
        client.post(audit_return.get_absolute_url(), complete_post(built, 0))
        client.post(
            reverse("audits:return-submit", args=[audit_return.pk]), complete_post(built, 1)
        )
        assert Return.objects.get(pk=audit_return.pk).status == Return.Status.SUBMITTED
    return built


def _grade_answer(built, agency):
    return Answer.objects.get(audit_return=built.return_for(agency), item=built.items["grade"])


def test_query_raise_leaves_the_return_submitted(built, business, agency_a):
    answer = _grade_answer(built, agency_a)

    query = query_raise(answer=answer, actor=business, question="One visit only: is Good right?")

    assert (query.status, query.audit_return_id) == ("open", answer.audit_return_id)
    assert Return.objects.get(pk=answer.audit_return_id).status == Return.Status.SUBMITTED


def test_only_the_business_team_raises_queries_on_submitted_returns(
    built, practitioner, business, agency_a
):
    answer = _grade_answer(built, agency_a)

    with pytest.raises(PermissionDenied):
        query_raise(answer=answer, actor=practitioner, question="Mine?")
    with pytest.raises(ValidationError):
        query_raise(answer=answer, actor=business, question="   ")
    Return.objects.filter(pk=answer.audit_return_id).update(status=Return.Status.RETURNED)
    answer = _grade_answer(built, agency_a)
    with pytest.raises(PermissionDenied):
        query_raise(answer=answer, actor=business, question="Still?")

    assert not AnswerQuery.objects.exists()


def test_reply_changes_that_answer_only_and_keeps_its_history(
    built, business, practitioner, agency_a
):
    answer = _grade_answer(built, agency_a)
    query = query_raise(answer=answer, actor=business, question="One visit only: is Good right?")
    before = {a.pk: (a.choice, a.evidence) for a in Answer.objects.exclude(pk=answer.pk)}
    version = Return.objects.get(pk=answer.audit_return_id).version

    query_reply(
        query=query,
        actor=practitioner,
        reply="Agreed: one visit. Requires improvement.",
        value=AnswerValue(choice="requires_improvement", evidence="One home visit in six months."),
    )

    answer.refresh_from_db()
    query.refresh_from_db()
    audit_return = Return.objects.get(pk=answer.audit_return_id)
    assert (answer.choice, answer.evidence) == (
        "requires_improvement",
        "One home visit in six months.",
    )
    assert {a.pk: (a.choice, a.evidence) for a in Answer.objects.exclude(pk=answer.pk)} == before
    assert (query.status, query.replied_by) == ("answered", practitioner)
    assert (audit_return.status, audit_return.version) == (Return.Status.SUBMITTED, version + 1)
    assert [(h.choice, h.history_user) for h in answer.history.order_by("history_id")] == [
        ("good", practitioner),
        ("requires_improvement", practitioner),
    ]


def test_reply_refused_to_another_agency_and_once_answered(
    built, business, practitioner, other_practitioner, agency_a
):
    query = query_raise(answer=_grade_answer(built, agency_a), actor=business, question="Why?")

    with pytest.raises(PermissionDenied):
        query_reply(query=query, actor=other_practitioner, reply="Not ours.")
    query_reply(query=query, actor=practitioner, reply="Because.")
    with pytest.raises(ValidationError):
        query_reply(query=query, actor=practitioner, reply="Again.")


def test_reply_refused_once_the_return_is_no_longer_submitted_or_the_audit_moved_on(
    built, business, practitioner, agency_a
):
    query = query_raise(answer=_grade_answer(built, agency_a), actor=business, question="Why?")
    Audit.objects.filter(pk=built.audit.pk).update(status=Audit.Status.FINDINGS_AGREED)

    with pytest.raises(PermissionDenied):
        query_reply(query=query, actor=practitioner, reply="Late.", value=AnswerValue("good"))

    assert AnswerQuery.objects.get().status == "open"


def test_a_query_on_an_answer_the_user_may_not_see_is_404(
    built, client_as, other_practitioner, board, agency_a
):
    answer = _grade_answer(built, agency_a)
    url = reverse("audits:answer-query", args=[answer.pk])

    for user in (other_practitioner, board):
        response = client_as(user).post(url, {"question": "Peek?"})
        assert response.status_code == 404

    assert not AnswerQuery.objects.exists()


def test_practitioner_sees_open_queries_on_my_returns_and_at_the_answer(
    built, client_as, business, practitioner, other_practitioner, agency_a
):
    answer = _grade_answer(built, agency_a)
    client_as(business).post(
        reverse("audits:answer-query", args=[answer.pk]),
        {"question": "The evidence describes one visit; is Good right?"},
    )
    query = AnswerQuery.objects.get()

    my_returns = client_as(practitioner).get(reverse("audits:my-returns")).content.decode()
    page = client_as(practitioner).get(built.return_for(agency_a).get_absolute_url())
    others = client_as(other_practitioner).get(reverse("audits:my-returns")).content.decode()

    assert "Open queries from the business team" in my_returns
    assert reverse("audits:query-detail", args=[query.pk]) in my_returns
    assert "The evidence describes one visit; is Good right?" in page.content.decode()
    assert "Open queries from the business team" not in others


def test_reply_through_the_page_changes_the_answer(
    built, client_as, business, practitioner, agency_a
):
    answer = _grade_answer(built, agency_a)
    query = query_raise(answer=answer, actor=business, question="Is Good right?")
    item = built.items["grade"]

    response = client_as(practitioner).post(
        reverse("audits:query-detail", args=[query.pk]),
        {
            "version": "0",
            field_name(item): "requires_improvement",
            evidence_name(item): "One visit.",
            "reply": "Changed to requires improvement.",
        },
    )

    assert response.status_code == 302
    answer.refresh_from_db()
    assert (answer.choice, answer.evidence) == ("requires_improvement", "One visit.")


def test_reply_without_text_changes_nothing(built, client_as, business, practitioner, agency_a):
    answer = _grade_answer(built, agency_a)
    query = query_raise(answer=answer, actor=business, question="Is Good right?")
    item = built.items["grade"]

    response = client_as(practitioner).post(
        reverse("audits:query-detail", args=[query.pk]),
        {"version": "0", field_name(item): "inadequate", evidence_name(item): "", "reply": ""},
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    answer.refresh_from_db()
    assert answer.choice == "good"


def test_progress_matrix_shows_open_queries_per_return(built, client_as, business, agency_a):
    answer = _grade_answer(built, agency_a)
    query_raise(answer=answer, actor=business, question="One?")
    query_raise(answer=answer, actor=business, question="Two?")

    html = client_as(business).get(reverse("audits:progress", args=[built.audit.pk])).content

    assert b"2 open queries" in html
