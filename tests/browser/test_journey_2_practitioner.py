"""Journey 2: a practitioner signs in, sees their returns with due dates, completes one over
two sittings (autosave keeps everything typed, across a reload and a new sign-in), and
submits it."""

import re

import pytest
from playwright.sync_api import expect

from audits.models import Return

from .seed import open_audit, riverbend

pytestmark = pytest.mark.browser

GRADE_Q = "How well was the risk of neglect recognised?"
LIVED_Q = "Were the child's lived experiences described in the record?"
VOICE_Q = "How well were the child's wishes and feelings heard and acted on?"
RISK_Q = "Which risk factors were present in the family?"
IMPACT_Q = "What difference did the support make for the child?"
EVIDENCE = "Neglect was noted by the health visitor in March but no referral followed."


def question(page, text):
    """One question's block: its field(s) and its evidence box."""
    return page.locator(".question").filter(has_text=text)


def saved(page):
    return expect(page.get_by_role("status").filter(has_text=re.compile(r"Saved at \d\d:\d\d")))


def test_practitioner_completes_a_return_over_two_sittings(ui_for, transactional_db):
    rb = riverbend()
    audit, returns = open_audit(rb)
    ui = ui_for(rb.practitioner)
    page = ui.page

    # Their returns, with due dates, and only their agency's.
    ui.check("My returns", shot="practitioner-home")
    table = page.get_by_role("table", name=re.compile("returns", re.I))
    rows = table.get_by_role("row")
    expect(rows).to_have_count(1 + 3)
    expect(rows.filter(has_text="Child A")).to_contain_text(audit.returns_due.strftime("%-d %b %Y"))
    expect(table).not_to_contain_text("Riverbend Police")

    # First sitting: two answers and some evidence, saved automatically.
    page.get_by_role("link", name=re.compile(r"^Child A")).click()
    ui.check("Return for Child A, Riverbend Children's Social Care", shot="return-form")
    expect(page.get_by_text("0 of 5 questions answered")).to_be_visible()
    page.get_by_role("group", name=GRADE_Q).get_by_label("Requires improvement").check()
    question(page, GRADE_Q).get_by_label("Evidence").fill(EVIDENCE)
    saved(page).to_be_visible()
    page.get_by_role("group", name=LIVED_Q).get_by_label("Partly").check()
    page.get_by_role("group", name=LIVED_Q).get_by_label("Partly").blur()
    progress = page.get_by_role("navigation", name="Progress")
    # (A saved checklist with nothing ticked counts as answered: "none of these".)
    expect(progress).to_contain_text("3 of 5 questions answered")
    saved(page).to_be_visible()

    page.reload()
    ui.check("Return for Child A")
    expect(
        page.get_by_role("group", name=GRADE_Q).get_by_label("Requires improvement")
    ).to_be_checked()
    expect(question(page, GRADE_Q).get_by_label("Evidence")).to_have_value(EVIDENCE)

    # Second sitting, after signing out: the form keeps their place.
    ui.sign_out()
    ui.sign_in(rb.practitioner)
    page.get_by_role("link", name=re.compile(r"^Child A")).click()
    expect(progress).to_contain_text("3 of 5 questions answered")
    expect(progress).to_contain_text("Recognition 2/2")
    expect(page.get_by_role("group", name=LIVED_Q).get_by_label("Partly")).to_be_checked()
    page.get_by_role("link", name="Jump to the next unanswered question").click()
    expect(page).to_have_url(re.compile(r"#q-\d+$"))
    page.get_by_role("group", name=VOICE_Q).get_by_label("Good").check()
    risk = page.get_by_role("group", name=RISK_Q)
    risk.get_by_label("Neglect").check()
    risk.get_by_label("Domestic abuse").check()
    page.get_by_label(IMPACT_Q).fill("Attendance rose once the family had a named worker.")
    saved(page).to_be_visible()

    page.get_by_role("button", name="Submit return").click()

    expect(page.get_by_role("note").filter(has_text="Submitted by Priya Shah")).to_be_visible()
    ui.check("Return for Child A")
    audit_return = Return.objects.get(pk=returns[("Child A", "CSC")].pk)
    assert audit_return.status == Return.Status.SUBMITTED
    answers = {a.item.text: a for a in audit_return.answers.select_related("item")}
    assert answers[GRADE_Q].choice == "requires_improvement"
    assert answers[GRADE_Q].evidence == EVIDENCE
    assert sorted(t.option for t in answers[RISK_Q].ticks.all()) == ["Domestic abuse", "Neglect"]

    ui.nav("My returns")
    ui.check("My returns")
    expect(rows.filter(has_text="Child A")).to_contain_text("Submitted")
