"""Journey 3 (reading evidence at moderation) in a real browser: a theme's evidence texts load
when its evidence is opened on the results page, and without JavaScript its link opens them on
a page of their own. Every page runs axe-core (tests/browser/conftest.py)."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from audits.models import Answer
from tests.browser.conftest import (  # noqa: F401 (fixtures)
    _browser_settings,
    _serial_live_server_on_sqlite,
    axe,
    chromium,
    journey_partnership,
    screenshot_dir,
    ui_for,
)
from tests.factories import UserFactory

from .results_builders import four_case_audit

pytestmark = pytest.mark.browser

TITLE = "Riverbend neglect deep dive"


def test_results_evidence_loads_when_opened_and_leads_to_moderation(ui_for, transactional_db):  # noqa: F811
    built = four_case_audit()
    business = UserFactory(username="bea", role=User.Role.BUSINESS)
    ui = ui_for(business)
    page = ui.page
    ui.check("Audit programme")

    ui.goto(f"/findings/audits/{built.audit.pk}/results/")
    ui.check(f"Results: {TITLE}")
    expect(page.get_by_text("No strategy discussion.")).to_have_count(0)
    page.get_by_text("3 evidence texts for Recognition", exact=True).click()
    evidence = page.locator(f"#theme-{built.items['G1'].theme_id}-evidence")
    expect(evidence.get_by_text("No strategy discussion.")).to_be_visible()
    expect(evidence.locator(".evidence-item")).to_have_count(3)
    ui.assert_accessible()  # with the loaded texts

    evidence.get_by_role(
        "link", name="Moderate grade of Riverbend Children's Services for YP3"
    ).click()
    ui.check(f"Moderate a grade: {TITLE}")
    page.get_by_label("Moderated grade", exact=True).select_option(label="Requires improvement")
    page.get_by_label(re.compile(r"^\s*Reason")).fill("A strategy discussion was held late.")
    page.get_by_role("button", name="Save moderated grade").click()
    ui.check(f"Evidence for Recognition: {TITLE}")
    expect(page.get_by_role("heading", name="Evidence for Recognition", level=1)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"#answer-{built.answers['YP3-A-G1'].pk}$"))
    assert Answer.objects.get(pk=built.answers["YP3-A-G1"].pk).moderated_choice == (
        "requires_improvement"
    )
    ui.assert_clean()


def test_results_evidence_without_javascript_opens_a_page(ui_for, transactional_db):  # noqa: F811
    built = four_case_audit()
    business = UserFactory(username="bea", role=User.Role.BUSINESS)
    ui = ui_for(business, java_script_enabled=False)
    page = ui.page
    ui.check("Audit programme")

    ui.goto(f"/findings/audits/{built.audit.pk}/results/")
    ui.check(f"Results: {TITLE}")
    page.get_by_text("1 evidence text for Voice of the child", exact=True).click()
    page.get_by_role("link", name="Read the 1 evidence text for Voice of the child").click()
    ui.check(f"Evidence for Voice of the child: {TITLE}")
    expect(page.get_by_text("Her words are quoted.")).to_be_visible()
    ui.assert_clean()


def test_a_themes_grades_by_agency_load_when_opened(ui_for, transactional_db):  # noqa: F811
    built = four_case_audit()
    business = UserFactory(username="bea", role=User.Role.BUSINESS)
    ui = ui_for(business)
    page = ui.page
    ui.check("Audit programme")

    ui.goto(f"/findings/audits/{built.audit.pk}/results/")
    ui.check(f"Results: {TITLE}")
    breakdown = page.locator(f"#theme-{built.items['G1'].theme_id}-agencies")
    expect(breakdown.locator("table")).to_have_count(0)
    breakdown.get_by_text("Recognition: grades by agency", exact=True).click()
    table = breakdown.get_by_role("table", name="Recognition: grades by agency (moderated grades)")
    expect(table).to_be_visible()
    expect(table.get_by_role("rowheader", name="Riverbend Children's Services")).to_be_visible()
    expect(breakdown.locator("img.results-chart")).to_have_count(1)
    ui.assert_accessible()  # with the loaded chart and table
    ui.screenshot("results-theme-by-agency")
    ui.assert_clean()
