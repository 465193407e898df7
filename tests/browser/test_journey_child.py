"""Moderation around the child: two agencies enter key events in their returns (autosaved,
a bad date refused at its field), the business team opens the child's page (every agency's
answers side by side, the merged chronology), records the agreed judgement and raises a query
on one answer; the practitioner answers it and changes that answer; the results show the
agreed case grades."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from audits.event_bank import load_event_kinds
from audits.models import Answer, AnswerQuery, Audit, Grade, KeyEvent
from findings.models import AgreedGrade, CaseJudgement

from .seed import answer_all, open_audit, riverbend

pytestmark = pytest.mark.browser

TITLE = "Neglect in families with younger children"


def _day(days_ago: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days_ago)).strftime("%d/%m/%Y")


def _enter_event(ui, when: str, kind: str, text: str) -> None:
    """Fill the blank row at the end of the key events and wait for its autosave: the row
    becomes an event (a fresh blank row follows it) and says when it was saved."""
    page = ui.page
    events = page.locator("form[data-key-event]:not(#event-new)")
    before = events.count()
    row = page.locator("form#event-new")
    row.get_by_label("Date").fill(when)
    row.get_by_label("What happened").select_option(label=kind)
    row.get_by_label("In a line").fill(text)
    expect(events).to_have_count(before + 1, timeout=15_000)
    expect(events.last.locator(".key-event-status")).to_contain_text("Saved at")
    expect(events.last.get_by_label("In a line")).to_have_value(text)


def test_moderation_around_the_child(ui_for, transactional_db):
    load_event_kinds()
    rb = riverbend()
    audit, returns = open_audit(rb, title=TITLE)
    csc_return, police_return = returns[("Child A", "CSC")], returns[("Child A", "Police")]

    # Children's Social Care enters two key events; a date in the future is refused at the field.
    csc = ui_for(rb.practitioner)
    csc.check("My returns")
    # The refused date's autosave answers 400 with the message the page shows at the field.
    csc.allow_console_error(r"(HTTP 400 from|status of 400).*/audits/returns/\d+/")
    page = csc.page
    csc.goto(csc_return.get_absolute_url())
    csc.check("Return for Child A")
    _enter_event(csc, _day(60), "Referral", "Referral from the health visitor: home conditions.")
    _enter_event(csc, _day(5), "Home visit", "Home visit: nobody answered the door.")
    row = page.locator("form#event-new")
    row.get_by_label("Date").fill("01/01/2099")
    row.get_by_label("What happened").select_option(label="Assessment")
    expect(row.get_by_text("This date is in the future")).to_be_visible(timeout=15_000)
    expect(row.get_by_label("Date")).to_have_attribute("aria-invalid", "true")
    page.locator("#key-events").scroll_into_view_if_needed()
    csc.screenshot("return-key-events")
    assert KeyEvent.objects.filter(audit_return=csc_return).count() == 2

    # The police enter theirs: only their own events are on their return.
    police = ui_for(rb.police_practitioner)
    police.check("My returns")
    police.goto(police_return.get_absolute_url())
    police.check("Return for Child A")
    expect(police.page.get_by_text("Referral from the health visitor")).to_have_count(0)
    _enter_event(police, _day(20), "Missing episode", "Missing overnight, found by a neighbour.")

    # Both returns are submitted and the audit moves to moderation (other journeys do this).
    answer_all(csc_return, rb, grade=Grade.GOOD)
    answer_all(police_return, rb, grade=Grade.REQUIRES_IMPROVEMENT)
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.MODERATION)

    # The business team opens the child's page from the progress matrix.
    business = ui_for(rb.business)
    business.check("Audit programme")
    page = business.page
    business.goto(f"/audits/{audit.pk}/progress/")
    business.check(f"Progress of returns: {TITLE}")
    page.get_by_role("link", name=re.compile(r"^Child A\W+the child's page")).click()
    business.check("Child A: the child's page")
    chronology = page.locator("#chronology")
    expect(chronology.locator("li.chronology-event")).to_have_count(3)
    # The police's missing episode: CSC was involved (from 60 days ago to 5 days ago) and
    # recorded nothing within 14 days of it.
    expect(chronology.locator("li.is-missed-link")).to_contain_text("Missing episode")
    expect(chronology.locator("li.is-missed-link")).to_contain_text(
        "Riverbend Children's Social Care was involved at the time"
    )
    voice = page.locator("section.child-theme", has_text="How well were the child's wishes")
    expect(voice.get_by_role("table")).to_contain_text("Good")
    expect(voice.get_by_role("table")).to_contain_text("Requires improvement")

    # The meeting's judgement.
    page.get_by_label("Agreed grade for Voice of the child").select_option(
        label="Requires improvement"
    )
    page.get_by_label("Reason", exact=True).nth(1).fill(
        "Only the police record shows the child's wishes."
    )
    page.get_by_label("What was life like for the child?").fill(
        "Home was unsafe and chaotic; nobody asked Child A's carers about the nights out."
    )
    page.get_by_label(re.compile(r"^Some positive difference")).check()
    page.get_by_label("Why the meeting judged it so").fill("Attendance improved; risk did not.")
    page.get_by_role("button", name="Save the judgement").click()
    business.check("Child A: the child's page", shot="child-page")
    expect(page.get_by_role("alert").or_(page.locator(".alert-success"))).to_contain_text(
        "judgement of Child A is saved"
    )
    assert CaseJudgement.objects.get().difference == "some"
    assert AgreedGrade.objects.get().grade == "requires_improvement"

    # A query on one answer: the CSC grade for the voice of the child.
    voice.get_by_role("link", name="Raise a query on this answer").first.click()
    business.check("Raise a query on an answer for Child A")
    page.get_by_label("Your question about this answer").fill(
        "The evidence describes one visit; is Good right?"
    )
    page.get_by_role("button", name="Send the query").click()
    business.check("Query on an answer for Child A")

    # The practitioner sees it on My returns, replies and changes that answer.
    csc.goto("/audits/my-returns/")
    csc.check("My returns")
    csc.page.get_by_role("link", name=re.compile(r"Child A, .*wishes and feelings")).click()
    csc.check("Query on an answer for Child A", shot="query-reply")
    csc.page.get_by_label("Requires improvement").check()
    csc.page.get_by_label("Your reply").fill("Agreed: one visit only. Changed.")
    csc.page.get_by_role("button", name="Send the reply").click()
    csc.check("Return for Child A")
    query = AnswerQuery.objects.get()
    assert query.status == "answered"
    assert query.answer.choice == "requires_improvement"
    assert Answer.history.filter(id=query.answer_id).count() == 2

    # The results show the agreed case grades.
    business.goto(f"/findings/audits/{audit.pk}/results/")
    business.check(f"Results: {TITLE}")
    page.get_by_role("link", name="Agreed case grades").click()
    business.check(f"Results: {TITLE}", shot="results-agreed-grades")
    grades = page.get_by_role("table", name=re.compile(r"agreed case grades"))
    expect(grades.get_by_role("row", name=re.compile(r"^Voice of the child"))).to_contain_text(
        "100% (1 of 1)"
    )

    for ui in (csc, police, business):
        ui.assert_clean()
