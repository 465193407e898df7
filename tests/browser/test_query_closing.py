"""The business team closes a query on an answer with a note, the practitioner no longer sees
it on My returns, and the business team re-opens it."""

import pytest
from playwright.sync_api import expect

from audits.models import AnswerQuery, Question
from audits.services.queries import query_raise

from .seed import answer_all, open_audit, riverbend

pytestmark = pytest.mark.browser


def test_close_and_reopen_a_query(ui_for, transactional_db):
    rb = riverbend()
    _audit, returns = open_audit(rb)
    csc_return = returns[("Child A", "CSC")]
    answer_all(csc_return, rb)
    answer = csc_return.answers.filter(item__kind=Question.Kind.GRADE).first()
    query = query_raise(
        answer=answer,
        actor=rb.business,
        question="The evidence describes one visit; is Good right?",
    )

    business = ui_for(rb.business)
    business.check("Audit programme")
    business.goto(query.get_absolute_url())
    business.check("Query on an answer for Child A")
    page = business.page
    page.get_by_label("Note (optional)").fill("Settled at the moderation meeting.")
    page.get_by_role("button", name="Close the query").click()
    expect(page.get_by_text("Query closed.")).to_be_visible()
    business.check("Query on an answer for Child A", shot="query-closed")
    assert AnswerQuery.objects.get().status == "closed"

    csc = ui_for(rb.practitioner)
    csc.goto("/audits/my-returns/")
    csc.check("My returns")
    expect(csc.page.get_by_text("Open queries from the business team")).to_have_count(0)

    page.get_by_role("button", name="Re-open the query").click()
    expect(page.get_by_text("Query re-opened")).to_be_visible()
    business.check("Query on an answer for Child A")
    assert AnswerQuery.objects.get().status == "open"

    for ui in (business, csc):
        ui.assert_clean()
