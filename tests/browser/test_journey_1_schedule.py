"""Journey 1: the business team schedules a deep dive, picks a question set, adds cases with
their agencies, and opens it; each involved agency's practitioners are emailed."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from audits.models import Audit, Return

from .seed import person, riverbend

pytestmark = pytest.mark.browser

TITLE = "Neglect in families with babies under one"


def add_case(page, pseudonym, level, age, gender, agencies):
    page.get_by_label(re.compile(r"^\s*Pseudonym")).fill(pseudonym)
    page.get_by_label(re.compile(r"^\s*Level of need")).select_option(label=level)
    page.get_by_label(re.compile(r"^\s*Age band")).select_option(label=age)
    page.get_by_label(re.compile(r"^\s*Gender")).select_option(label=gender)
    for agency, reference in agencies:
        page.get_by_label(agency, exact=True).check()
        page.get_by_label(f"{agency} record reference").fill(reference)
    page.get_by_role("button", name="Add the case").click()
    expect(
        page.get_by_role("status").filter(has_text=f"{pseudonym} has been added")
    ).to_be_visible()


def test_business_team_schedules_and_opens_a_deep_dive(ui_for, transactional_db):
    rb = riverbend()
    person("sam.lowe", "Sam", "Lowe", User.Role.PRACTITIONER, [rb.csc])
    today = timezone.localdate()
    opens, due = today, today + datetime.timedelta(days=21)
    ui = ui_for(rb.business)
    page = ui.page
    ui.check("Audit programme", shot="business-home")

    # The calendar shows the month; from a day of it the business team schedules an audit,
    # and the form opens with the dates filled in.
    ui.nav("Calendar")
    ui.check("Programme calendar", shot="programme-calendar")
    page.get_by_role(
        "link", name=f"Schedule an audit opening on {opens:%A} {opens.day} {opens:%B %Y}"
    ).click()
    ui.check("Schedule an audit", shot="audit-create")
    expect(page.get_by_label(re.compile(r"^\s*Returns open"))).to_have_value(opens.isoformat())
    expect(page.get_by_label(re.compile(r"^\s*Returns due"))).to_have_value(due.isoformat())
    page.get_by_label(re.compile(r"^\s*Title")).fill(TITLE)
    page.get_by_label(re.compile(r"^\s*Partnership priority")).fill("Neglect")
    page.get_by_label(re.compile(r"^\s*Key question")).fill(
        "How well do agencies notice and act on neglect of babies?"
    )
    page.get_by_label(re.compile(r"^\s*Scope")).fill("Babies under one known to two agencies.")
    page.get_by_label(re.compile(r"^\s*Question set")).select_option(label=str(rb.question_set))
    page.get_by_role("button", name="Schedule the audit").click()

    # Cases, each with the agencies involved and their own record references.
    ui.check(f"Cases: {TITLE}", shot="audit-cases")
    add_case(
        page,
        "Baby A",
        "Child in need (tier 3)",
        "Under 1",
        "Female",
        [("Riverbend Children's Social Care", "CSC-20417"), ("Riverbend Police", "POL-88120")],
    )
    add_case(
        page,
        "Baby B",
        "Child protection (tier 4)",
        "Under 1",
        "Male",
        [("Riverbend Children's Social Care", "CSC-20533")],
    )
    expect(
        page.get_by_role("heading", name=re.compile(r"Spread of the sample \(2 cases\)"))
    ).to_be_visible()

    # Open it.
    page.get_by_role("link", name="Back to the audit").click()
    ui.check(TITLE, shot="audit-detail")
    page.get_by_role("button", name="Move to “Open for returns”").click()
    expect(page.get_by_role("status").filter(has_text="Open for returns")).to_be_visible()
    ui.check(TITLE)

    audit = Audit.objects.get(title=TITLE)
    assert audit.status == Audit.Status.OPEN
    assert audit.question_set.is_frozen
    assert sorted(
        (r.case.pseudonym, r.agency.short_name)
        for r in audit.returns.select_related("case", "agency")
    ) == [("Baby A", "CSC"), ("Baby A", "Police"), ("Baby B", "CSC")]
    assert all(r.status == Return.Status.NOT_STARTED for r in audit.returns.all())
    emailed = sorted(address for message in mail.outbox for address in message.to)
    assert "priya.shah@riverbend.example" in emailed
    assert "dan.mercer@riverbend.example" in emailed
    assert "sam.lowe@riverbend.example" in emailed  # a second practitioner of the agency
    assert emailed.count("priya.shah@riverbend.example") == 1
    assert not any("helen.marsh" in address for address in emailed)
    # The audit page says who was told, by agency.
    told = page.get_by_role("region", name="Told when it opened")
    expect(told).to_contain_text("Riverbend Children's Social Care")
    expect(told.locator("dd").first).to_have_text("Sam Lowe, Priya Shah")
    expect(told.locator("dd").nth(1)).to_have_text("Dan Mercer")
    expect(page.locator("#return-summary")).to_have_text("3 returns: 3 not started.")
    ui.screenshot("audit-opened-told")
    assert any(TITLE in message.subject or TITLE in message.body for message in mail.outbox)

    # The new dates are on the calendar.
    ui.nav("Calendar")
    ui.check("Programme calendar")
    expect(page.get_by_role("link", name=re.compile(f"Returns open: {TITLE}"))).to_be_visible()
