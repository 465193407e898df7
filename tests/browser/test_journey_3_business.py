"""Journey 3: the business team watches the case × agency progress matrix, returns a weak
return for amendment, moves the audit to moderation, reads the results, records a finding and
an action, composes the briefing, renders it (a Celery worker makes the PDF: in-process here,
a real worker in CI), a second business user approves it, and it is published."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from audits.models import Audit, Grade, Return
from briefings.models import Briefing
from findings.models import Action, Finding

from .seed import answer_all, open_audit, riverbend

pytestmark = pytest.mark.browser

TITLE = "Neglect in families with younger children"


def seeded_audit():
    rb = riverbend()
    audit, returns = open_audit(rb, title=TITLE)
    answer_all(returns[("Child A", "CSC")], rb, grade=Grade.GOOD)
    answer_all(returns[("Child A", "Police")], rb, grade=Grade.REQUIRES_IMPROVEMENT)
    answer_all(returns[("Child B", "CSC")], rb, grade=Grade.INADEQUATE)
    answer_all(returns[("Child C", "Police")], rb, grade=Grade.GOOD)
    return rb, audit, returns


def use_real_worker_in_ci(request):
    if settings.REDIS_URL and settings.IS_POSTGRES:
        request.getfixturevalue("celery_worker_process")


def test_business_team_moderates_and_publishes_a_briefing(ui_for, transactional_db, request):
    use_real_worker_in_ci(request)
    rb, audit, returns = seeded_audit()
    ui = ui_for(rb.business)
    page = ui.page

    # The progress matrix: a case per row, an agency per column.
    ui.check("Audit programme")
    page.get_by_role("link", name=TITLE).click()
    ui.check(TITLE)
    page.get_by_role("link", name="Progress of returns").click()
    ui.check(f"Progress of returns: {TITLE}", shot="progress-matrix")
    matrix = page.get_by_role("table", name=re.compile(r"Each case's return"))
    expect(matrix.get_by_role("row", name=re.compile(r"^Child A"))).to_contain_text("Submitted")
    expect(matrix.get_by_role("row", name=re.compile(r"^Child B"))).to_contain_text("Not started")
    expect(page.get_by_text(re.compile(r"4\s+of 6 returns submitted"))).to_be_visible()

    # A weak return goes back for amendment.
    matrix.get_by_role(
        "link", name="Submitted for Child B from Riverbend Children's Social Care"
    ).click()
    ui.check("Return for Child B, Riverbend Children's Social Care")
    page.get_by_role("link", name="Return for amendment").click()
    ui.check("Return for amendment: Child B")
    page.get_by_label(re.compile(r"Why does this return need amending")).fill(
        "Every grade is Inadequate but the evidence boxes do not say why. "
        "Add what the record shows."
    )
    page.get_by_role("button", name="Return for amendment").click()
    ui.check("Return for Child B")
    assert Return.objects.get(pk=returns[("Child B", "CSC")].pk).status == Return.Status.RETURNED

    # Moderation.
    page.get_by_role("link", name="Progress of " + TITLE).click()
    ui.check(f"Progress of returns: {TITLE}")
    expect(matrix.get_by_role("row", name=re.compile(r"^Child B"))).to_contain_text(
        "Returned for amendment"
    )
    ui.nav("Audit programme")
    page.get_by_role("link", name=TITLE).click()
    ui.check(TITLE)
    page.get_by_role("button", name="Move to “Moderation”").click()
    expect(page.get_by_role("status").filter(has_text="Moderation")).to_be_visible()
    assert Audit.objects.get(pk=audit.pk).status == Audit.Status.MODERATION

    # Results, with text alternatives for every chart.
    page.get_by_role("link", name="Results", exact=True).click()
    ui.check(f"Results: {TITLE}", shot="results")
    expect(page.get_by_role("heading", name="Grades by theme")).to_be_visible()
    for image in page.get_by_role("main").locator("img").all():
        assert (image.get_attribute("alt") or "").strip(), "a chart without alt text"

    # A finding and an action.
    page.get_by_role("link", name="Findings and actions").first.click()
    ui.check(f"Findings and actions: {TITLE}")
    page.get_by_role("link", name="Add a strength").click()
    ui.check(f"Add a finding: {TITLE}")
    page.get_by_label(re.compile(r"^\s*Theme")).select_option(label="Voice of the child")
    page.get_by_label(re.compile(r"^\s*Finding\b")).fill(
        "Social workers recorded what younger children showed through play, not only what "
        "parents said."
    )
    # Its source returns: filtered to one agency, each shown as case · agency with its evidence.
    sources = page.get_by_role("group", name=re.compile(r"^Source returns"))
    sources.get_by_label("Filter by case or agency").fill("police")
    expect(sources.get_by_role("status")).to_contain_text("3 of 6 returns shown")
    csc_child_a = sources.get_by_label(re.compile(r"Child A · Riverbend Children's Social Care"))
    expect(csc_child_a).to_be_hidden()
    sources.get_by_label(re.compile(r"^Child A · Riverbend Police")).check()
    ui.screenshot("finding-source-returns")
    page.get_by_role("button", name="Save finding").click()
    ui.check(f"Findings and actions: {TITLE}", shot="findings")
    assert [
        (r.case.pseudonym, r.agency.short_name)
        for r in Finding.objects.get().source_returns.select_related("case", "agency")
    ] == [("Child A", "Police")]
    expect(page.get_by_text("Social workers recorded what younger children showed")).to_be_visible()
    page.get_by_role("link", name="Add an action").click()
    ui.check("Add an action")
    page.get_by_label(re.compile(r"^\s*Action\b")).fill(
        "Run a practice workshop on observing pre-verbal children."
    )
    page.get_by_role("group", name=re.compile("Briefing section")).get_by_role(
        "radio"
    ).first.check()
    page.get_by_label(re.compile(r"^\s*Owner")).select_option(
        label="Riverbend Children's Social Care"
    )
    page.get_by_label(re.compile(r"^\s*Due date")).fill(
        (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    )
    page.get_by_role("button", name=re.compile(r"^Save")).click()
    ui.check(f"Findings and actions: {TITLE}")
    expect(page.get_by_role("link", name=re.compile(r"^Run a practice workshop"))).to_be_visible()
    assert Finding.objects.filter(audit=audit).count() == 1
    assert Action.objects.filter(audit=audit).count() == 1

    # Findings agreed.
    page.get_by_role("link", name="Back to the audit").click()
    ui.check(TITLE)
    page.get_by_role("button", name="Move to “Findings agreed”").click()
    expect(page.get_by_role("status").filter(has_text="Findings agreed")).to_be_visible()

    # The briefing: compose, save, render, wait for the PDF.
    page.get_by_role("link", name="Briefing", exact=True).click()
    ui.check(f"Briefing composer: {TITLE}", shot="briefing-composer")
    page.get_by_role("textbox", name=re.compile(r"What is meant by")).fill(
        "Neglect is the persistent failure to meet a child's basic physical or emotional needs."
    )
    # Every point must say something before it can be published.
    page.get_by_role("textbox", name=re.compile(r"areas for development")).fill(
        "- **Joint working**: health visitors were not always invited to strategy meetings."
    )
    page.get_by_role("textbox", name=re.compile(r"Next steps")).fill(
        "- Share this briefing at every locality team meeting."
    )
    page.get_by_role("textbox", name=re.compile(r"Resources")).fill(
        "Ask the partnership's training team for the neglect toolkit."
    )
    page.get_by_role("button", name="Save briefing").click()
    ui.check(f"Briefing composer: {TITLE}")
    page.get_by_role("button", name="Render PDF").click()
    versions = page.get_by_role("table", name=re.compile(r"Each rendering is a numbered version"))
    expect(versions.get_by_role("row", name=re.compile(r"^1\b"))).to_contain_text(
        "Ready", timeout=60_000
    )
    ui.check(f"Briefing composer: {TITLE}")

    # A second member of the business team approves it; then it is published.
    reviewer = ui_for(rb.business2)
    reviewer.check("Audit programme")
    reviewer.page.get_by_role("link", name=TITLE).click()
    reviewer.check(TITLE)
    reviewer.page.get_by_role("link", name="Briefing", exact=True).click()
    reviewer.check(f"Briefing composer: {TITLE}")
    reviewer.page.get_by_role("button", name="Approve version 1").click()
    expect(reviewer.page.get_by_text(re.compile(r"Approved by Callum Reid"))).to_be_visible()
    reviewer.check(f"Briefing composer: {TITLE}")

    page.reload()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text(re.compile(r"version 1 published"))).to_be_visible()
    ui.check(f"Briefing composer: {TITLE}")
    briefing = Briefing.objects.get(audit=audit)
    assert briefing.status == Briefing.Status.PUBLISHED
    assert briefing.published_version.approved_by == rb.business2
