"""Did practice change? The business team schedules a re-audit from an action of a published
audit, opens it, practitioners complete it, and the re-audit's page and the board dashboard
show Recognition's grades before → after beside the action."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from audits.models import Audit, Grade, Question, Return, YesPartlyNo
from cases.models import Partnership
from findings.models import Action, Finding, ReAudit
from tests.factories import AnswerFactory

from .seed import published_briefing, riverbend

pytestmark = pytest.mark.browser

GRADE_Q = "How well was the risk of neglect recognised?"
LIVED_Q = "Were the child's lived experiences described in the record?"
RISK_Q = "Which risk factors were present in the family?"
CHANGE = "33% (2 of 6) → 0% (0 of 6)"


def _submit_directly(audit_return: Return) -> None:
    """A colleague's return, completed outside the browser: Good, yes, neglect."""
    for item in audit_return.audit.question_set.items.all():
        if item.kind == Question.Kind.GRADE:
            AnswerFactory(audit_return=audit_return, item=item, choice=Grade.GOOD)
        elif item.kind == Question.Kind.YES_PARTLY_NO:
            AnswerFactory(audit_return=audit_return, item=item, choice=YesPartlyNo.YES)
        elif item.kind == Question.Kind.CHECKLIST:
            AnswerFactory(audit_return=audit_return, item=item, choice="").ticks.create(
                option="Neglect"
            )
    audit_return.status = Return.Status.SUBMITTED
    audit_return.save(update_fields=["status"])


def test_a_reaudit_from_an_action_shows_whether_practice_changed(ui_for, transactional_db):
    rb = riverbend()
    source, _briefing = published_briefing(rb)
    # Counts of 2 are shown to the board; 1 would read "fewer than 2".
    Partnership.objects.update_or_create(pk=1, defaults={"suppression_threshold": 2})
    action = Action.objects.get(text__startswith="Hold a multi-agency workshop")
    action.findings.add(Finding.objects.get(audit=source, kind=Finding.Kind.DEVELOPMENT))

    # The business team: from the action, "Check with a re-audit".
    ui = ui_for(rb.business)
    page = ui.page
    ui.check("Audit programme")
    ui.goto(f"/findings/actions/{action.pk}/")
    ui.check("Action: Hold a multi-agency workshop on chronologies.")
    page.get_by_role("link", name="Check with a re-audit").click()
    ui.check(f"Check with a re-audit: {source.title}", shot="reaudit-schedule")
    main = page.get_by_role("main")
    expect(main).to_contain_text("asks the same questions of Recognition")
    today = datetime.date.today()
    page.get_by_label("Title of the re-audit").fill("Neglect re-audit")
    page.get_by_label("Returns open").fill(today.isoformat())
    page.get_by_label("Returns due").fill((today + datetime.timedelta(days=14)).isoformat())
    expect(page.get_by_label("Audit the same children again")).to_be_checked()
    expect(page.get_by_label(re.compile(r"Hold a multi-agency workshop"))).to_be_checked()
    page.get_by_label(re.compile(r"Add a neglect screening prompt")).check()
    page.get_by_role("button", name="Schedule the re-audit").click()
    ui.check("Neglect re-audit")
    expect(main).to_contain_text("Re-audit scheduled (planned): Neglect re-audit.")
    page.get_by_role("button", name="Move to “Open for returns”").click()
    ui.check("Neglect re-audit")
    reaudit = ReAudit.objects.get()
    assert reaudit.audit.status == Audit.Status.OPEN
    assert reaudit.actions.count() == 2
    ui.sign_out()

    # A practitioner completes their new return for Child A in the browser.
    mine = Return.objects.get(audit=reaudit.audit, case__pseudonym="Child A", agency=rb.csc)
    ui.sign_in(rb.practitioner)
    ui.check("My returns")
    ui.goto(mine.get_absolute_url())
    ui.check("Return for Child A, Riverbend Children's Social Care", shot="reaudit-return")
    page.get_by_role("group", name=GRADE_Q).get_by_label("Good", exact=True).check()
    page.get_by_role("group", name=LIVED_Q).get_by_label("Yes").check()
    page.get_by_role("group", name=RISK_Q).get_by_label("Neglect").check()
    expect(page.get_by_role("navigation", name="Progress")).to_contain_text(
        "3 of 3 questions answered"
    )
    page.get_by_role("button", name="Submit return").click()
    expect(page.get_by_role("note").filter(has_text="Submitted by Priya Shah")).to_be_visible()
    ui.check("Return for Child A")
    for other in Return.objects.filter(audit=reaudit.audit).exclude(pk=mine.pk):
        _submit_directly(other)
    ui.sign_out()

    # The business team: the re-audit's page, before → after beside the action.
    ui.sign_in(rb.business)
    ui.check("Audit programme")
    ui.goto(f"/findings/audits/{reaudit.audit.pk}/results/")
    ui.check("Results: Neglect re-audit")
    page.get_by_role("link", name=re.compile("Did practice change?")).click()
    ui.check("Did practice change? Neglect re-audit", shot="reaudit-results")
    themes = page.get_by_role("table", name=re.compile("Linked themes, before → after"))
    expect(
        themes.get_by_role("row", name=re.compile("Recognition, Requires improvement"))
    ).to_contain_text(CHANGE)
    expect(page.get_by_role("note").filter(has_text="Small numbers.")).to_contain_text(
        "no significance is claimed"
    )
    actions = page.get_by_role("table", name=re.compile("actions this re-audit tests"))
    workshop = actions.get_by_role("row", name=re.compile("Hold a multi-agency workshop"))
    expect(workshop).to_contain_text("tested by this re-audit")
    expect(workshop).to_contain_text("Open")
    screening = actions.get_by_role("row", name=re.compile("Add a neglect screening prompt"))
    expect(screening).to_contain_text("Done")
    ui.sign_out()

    # Once published, the board dashboard shows the change, aggregate only.
    Audit.objects.filter(pk=reaudit.audit.pk).update(status=Audit.Status.PUBLISHED)
    ui.sign_in(rb.board)
    ui.check("Published briefings")
    ui.nav("Dashboard")
    ui.check("Partnership dashboard", shot="board-dashboard-practice-change")
    table = page.get_by_role("table", name=re.compile("Re-audited themes, before → after"))
    row = table.get_by_role("row", name=re.compile("^Recognition"))
    expect(row).to_contain_text(CHANGE)
    # The actions it tests: 1 of 2 done, a count below the threshold of 2.
    expect(row).to_contain_text("fewer than 2")
    expect(page.get_by_role("main")).not_to_contain_text("Child A")

    # Every trend, across both audits: a checklist's prevalence, and a theme without a grade
    # question that says so (rather than that no audit asked it).
    page.get_by_role("link", name="Every trend").click()
    ui.check("Trends across audits", shot="trend-index")
    page.get_by_role("link", name=RISK_Q).click()
    ui.check(f"{RISK_Q} across audits", shot="trend-checklist")
    prevalence = page.get_by_role("table", name=re.compile("cases with each option"))
    expect(prevalence.get_by_role("row", name=re.compile("^Neglect re-audit"))).to_contain_text(
        "100% (3 of 3)"
    )
    page.get_by_role("link", name="Whole-family approach").click()
    ui.check("Whole-family approach across audits", shot="trend-theme-without-grades")
    expect(page.get_by_role("main")).to_contain_text(
        "No published audit has asked a grade question about Whole-family approach"
    )


def test_the_business_team_creates_and_revokes_a_data_feed_token(ui_for, transactional_db):
    rb = riverbend()
    ui = ui_for(rb.business)
    page = ui.page
    ui.check("Audit programme")

    ui.nav("Dashboard")
    ui.check("Partnership dashboard")
    page.get_by_role("link", name="Data feed for reporting").click()
    ui.check("Data feed for reporting")
    page.get_by_label("Name of the token").fill("Board Power BI report")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_text("Copy this token now.")).to_be_visible()
    ui.check("Data feed for reporting", shot="feed-tokens")
    token = page.locator("code.feed-token").inner_text()
    assert token.startswith("apf_")
    response = page.request.get(
        ui.url("/findings/feed/figures.json"), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status == 200
    page.get_by_role("button", name="Revoke Board Power BI report").click()
    expect(page.get_by_role("main")).to_contain_text("Revoked “Board Power BI report”")
    ui.check("Data feed for reporting")
    refused = page.request.get(
        ui.url("/findings/feed/figures.json"), headers={"Authorization": f"Bearer {token}"}
    )
    assert refused.status == 401
