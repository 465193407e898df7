"""The business team closes a query on an answer (answered or not, with an optional note) and
re-opens it: a closed query leaves My returns and the progress matrix's count; both are in the
query's history and the trail."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from auditportal.models import AuditEvent
from audits.models import AnswerQuery
from audits.services.queries import query_close, query_raise, query_reopen, query_reply
from tests.audits.test_queries import _grade_answer, built  # noqa: F401


def _close_url(query):
    return reverse("audits:query-close", args=[query.pk])


def _reopen_url(query):
    return reverse("audits:query-reopen", args=[query.pk])


def test_closing_an_unanswered_query_takes_it_off_my_returns_and_the_progress_count(
    built,  # noqa: F811
    client_as,
    business,
    practitioner,
    agency_a,
):
    query = query_raise(answer=_grade_answer(built, agency_a), actor=business, question="One?")
    query_raise(answer=_grade_answer(built, agency_a), actor=business, question="Two?")
    progress_url = reverse("audits:progress", args=[built.audit.pk])
    assert b"2 open queries" in client_as(business).get(progress_url).content

    response = client_as(business).post(
        _close_url(query), {"note": "Settled at the meeting."}, follow=True
    )

    query.refresh_from_db()
    assert query.status == AnswerQuery.Status.CLOSED
    assert (query.close_note, query.closed_by) == ("Settled at the meeting.", business)
    assert "Query closed." in response.content.decode()
    assert "Settled at the meeting." in response.content.decode()
    progress = client_as(business).get(progress_url).content
    assert b"1 open query" in progress and b"2 open queries" not in progress
    my_returns = client_as(practitioner).get(reverse("audits:my-returns")).content.decode()
    assert reverse("audits:query-detail", args=[query.pk]) not in my_returns
    event = AuditEvent.objects.get(code="query.closed")
    assert event.changes == {"query": query.pk, "was": "open", "note": True}
    assert query.history.filter(status="closed").count() == 1


def test_an_answered_query_closes_without_a_note_and_reopens_for_another_reply(
    built,  # noqa: F811
    client_as,
    business,
    practitioner,
    agency_a,
):
    query = query_raise(answer=_grade_answer(built, agency_a), actor=business, question="Why?")
    query_reply(query=query, actor=practitioner, reply="One visit, but a long one.")

    client_as(business).post(_close_url(query), {"note": ""})
    query.refresh_from_db()
    assert (query.status, query.close_note) == (AnswerQuery.Status.CLOSED, "")

    response = client_as(business).post(_reopen_url(query), follow=True)

    query.refresh_from_db()
    assert query.status == AnswerQuery.Status.OPEN
    assert query.closed_by is None
    html = response.content.decode()
    assert "Query re-opened" in html
    for step in ("Raised", "Answered", "Closed", "Re-opened"):
        assert f": {step} (" in html
    assert reverse("audits:query-detail", args=[query.pk]) in (
        client_as(practitioner).get(reverse("audits:my-returns")).content.decode()
    )
    query_reply(query=query, actor=practitioner, reply="And the plan was shared.")
    assert AnswerQuery.objects.get().reply == "And the plan was shared."
    assert AuditEvent.objects.filter(code="query.reopened").count() == 1
    statuses = list(query.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == ["open", "answered", "closed", "open", "answered"]


def test_only_the_business_team_closes_and_a_refused_close_changes_nothing(
    built,  # noqa: F811
    client_as,
    business,
    practitioner,
    other_practitioner,
    agency_a,
):
    query = query_raise(answer=_grade_answer(built, agency_a), actor=business, question="Why?")

    assert client_as(practitioner).post(_close_url(query), {"note": "x"}).status_code == 403
    assert client_as(other_practitioner).post(_close_url(query)).status_code == 404
    with pytest.raises(PermissionDenied):
        query_close(query=query, actor=practitioner, note="")
    query.refresh_from_db()
    assert query.status == AnswerQuery.Status.OPEN
    assert not AuditEvent.objects.filter(code="query.closed").exists()


def test_closing_twice_or_reopening_an_open_query_is_refused_with_a_message(
    built,  # noqa: F811
    client_as,
    business,
    agency_a,
):
    query = query_raise(answer=_grade_answer(built, agency_a), actor=business, question="Why?")
    with pytest.raises(ValidationError, match="not closed"):
        query_reopen(query=query, actor=business)
    query_close(query=query, actor=business, note="")
    with pytest.raises(ValidationError, match="already closed"):
        query_close(query=query, actor=business, note="")

    response = client_as(business).post(_close_url(query), {"note": "again"}, follow=True)

    assert "This query is already closed. Nothing was changed." in response.content.decode()
    query.refresh_from_db()
    assert query.close_note == ""
    assert AuditEvent.objects.filter(code="query.closed").count() == 1


def test_a_note_too_long_is_refused_on_the_page_and_nothing_is_saved(
    built,  # noqa: F811
    client_as,
    business,
    agency_a,
):
    query = query_raise(answer=_grade_answer(built, agency_a), actor=business, question="Why?")

    response = client_as(business).post(_close_url(query), {"note": "x" * 1001}, follow=True)

    assert "Keep it to 1,000 characters or fewer." in response.content.decode()
    query.refresh_from_db()
    assert query.status == AnswerQuery.Status.OPEN
