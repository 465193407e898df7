"""Rough edges a new user hit (issue 21), in a real browser: the business navigation on one
row at 1280 px, no request for a missing /favicon.ico, a not-started return closed in
moderation, and WCAG 2.2 checks axe cannot make (focus not obscured, target size,
accessible authentication)."""

import re

import pytest

from .seed import open_audit, published_briefing, riverbend

pytestmark = pytest.mark.browser

NAV_LINK_TOPS = """() => Array.from(document.querySelectorAll('nav[aria-label="Main"] .nav-link'))
    .map(el => Math.round(el.getBoundingClientRect().top))"""


def test_business_navigation_is_one_row_at_1280_px(ui_for, transactional_db):
    rb = riverbend()
    open_audit(rb)
    ui = ui_for(rb.business)
    ui.check("Audit programme")

    tops = ui.page.evaluate(NAV_LINK_TOPS)
    width = ui.page.evaluate("() => document.documentElement.scrollWidth")

    ui.page.screenshot(path=str(ui.screenshot_dir / "business-navigation-1280.png"))
    assert len(tops) == 10  # eight pages, the account and Sign out
    assert max(tops) - min(tops) <= 2, f"navigation wraps: link tops {tops}"
    assert width == 1280  # and nothing scrolls sideways


def test_briefing_preview_links_the_app_icon_so_no_favicon_ico_404(ui_for, transactional_db):
    from briefings.services import briefing_get_or_create

    rb = riverbend()
    audit, _ = open_audit(rb)
    type(audit).objects.filter(pk=audit.pk).update(status="findings_agreed")
    briefing_get_or_create(audit=audit, actor=rb.business)
    ui = ui_for(rb.business)
    ui.check("Audit programme")
    asked: list[str] = []
    ui.page.on("request", lambda request: asked.append(request.url))

    ui.goto(f"/briefings/audit/{audit.pk}/preview/")
    ui.check("Neglect in families with younger children (preview)")
    ui.page.wait_for_load_state("networkidle")

    icon = ui.page.locator('link[rel="icon"]').get_attribute("href")
    assert icon.startswith("/static/") and "favicon" in icon
    assert not [url for url in asked if url.endswith("/favicon.ico")]


def test_question_bank_question_sets_and_take_up_have_a_search(ui_for, transactional_db):
    from django.utils import timezone
    from playwright.sync_api import expect

    from briefings.models import BriefingUse

    rb = riverbend()
    _audit, briefing = published_briefing(rb)
    BriefingUse.objects.create(  # the reach tables show once there is a learning event
        briefing=briefing,
        agency=rb.police,
        used_on=timezone.localdate(),
        format="team_meeting",
        staff_reached=12,
    )
    ui = ui_for(rb.business)
    page = ui.page
    ui.check("Audit programme")

    ui.nav("Question bank")
    ui.check("Question bank")
    page.get_by_label("Search questions and themes").fill("lived experiences")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    ui.check("Question bank", shot="question-bank-search")
    expect(page.get_by_role("status")).to_contain_text("match “lived experiences”")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_contain_text("lived experiences")

    ui.goto("/audits/question-sets/")
    ui.check("Question sets")
    page.get_by_label("Search question sets").fill("zebra")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    ui.check("Question sets")
    expect(page.get_by_role("main")).to_contain_text("No question set matches “zebra”.")

    ui.goto("/briefings/take-up/")
    ui.check("Reach of learning briefings")
    page.get_by_label("Search agencies").fill("police")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    ui.check("Reach of learning briefings")
    by_agency = page.get_by_role("table", name=re.compile("by agency")).locator("tbody tr")
    expect(by_agency).to_have_count(1)
    expect(by_agency).to_contain_text("Riverbend Police")


def test_a_return_not_started_when_moderation_begins_shows_closed_with_whom_to_ask(
    ui_for, transactional_db
):
    from playwright.sync_api import expect

    from audits.models import Audit

    rb = riverbend()
    audit, _ = open_audit(rb)
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.MODERATION)
    ui = ui_for(rb.practitioner)

    ui.check("My returns", shot="practitioner-returns-closed")

    closed = ui.page.get_by_role("region", name="Closed before they were submitted")
    expect(closed.get_by_role("row")).to_have_count(4)  # the header and Child A, B and C
    expect(closed).to_contain_text(
        "The audit moved to moderation before this return was submitted. If it still needs to "
        "be made, contact Bea Okafor (bea.okafor@riverbend.example), who runs this audit."
    )
    expect(ui.page.get_by_role("link", name=re.compile(r"^Child A"))).to_be_visible()
