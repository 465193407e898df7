"""A published briefing read on the web by a practitioner (at desk width and on a 320 px
phone), then put on the partnership's website as a public link that a signed-out visitor
opens, then withdrawn: the link answers 404. axe passes on the web and the public pages."""

import re

import pytest
from playwright.sync_api import expect

from auditportal.models import AuditEvent
from briefings.models import BriefingPublicLink

from .seed import published_briefing, riverbend

pytestmark = pytest.mark.browser

TITLE = "Neglect in families with younger children"


def assert_fits(page, width: int) -> None:
    """The page is no wider than the screen: only a wide table scrolls, in its own region."""
    scroll = page.evaluate("() => document.documentElement.scrollWidth")

    assert scroll <= width, f"the page is {scroll} px wide on a {width} px screen"


def test_publish_read_on_the_web_open_the_public_link_withdraw_it(ui_for, transactional_db):
    rb = riverbend()
    _audit, briefing = published_briefing(rb, title=TITLE)

    # A practitioner reads the published briefing on the web.
    priya = ui_for(rb.practitioner)
    priya.check("My returns")
    priya.nav("Published briefings")
    priya.check("Published briefings")
    priya.page.get_by_role("link", name=re.compile(r"^Read on the web\s*: " + TITLE)).click()
    priya.check(TITLE, shot="briefing-web")
    main = priya.page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(main.get_by_role("heading", level=2)).to_have_count(7)
    development = main.get_by_role("heading", name=re.compile(r"areas for development"))
    expect(development).to_be_visible()
    expect(main.get_by_role("table", name=re.compile(r"^Grades by theme"))).to_be_visible()
    expect(main).not_to_contain_text("Child A")
    assert AuditEvent.objects.filter(code="briefing.read", actor=rb.practitioner).count() == 1
    priya.page.set_viewport_size({"width": 320, "height": 640})
    assert_fits(priya.page, 320)
    priya.screenshot("briefing-web-320")

    # The business team makes a public link; a signed-out visitor opens it.
    bea = ui_for(rb.business)
    bea.check("Audit programme")
    bea.goto(f"/briefings/audit/{briefing.audit_id}/")
    bea.check(f"Briefing composer: {TITLE}")
    # The preview beside the text follows the typing (nothing is saved).
    preview = bea.page.get_by_role("region", name="Live preview of the briefing")
    expect(preview.get_by_role("heading", name=re.compile(r"What is meant by"))).to_be_visible()
    bea.page.get_by_role("textbox", name=re.compile(r"What is meant by")).fill(
        "Neglect is **persistent**: it builds up over time."
    )
    expect(preview.locator("strong", has_text="persistent")).to_be_visible()
    bea.assert_accessible()
    bea.screenshot("briefing-composer-live-preview")
    bea.page.get_by_role("button", name=re.compile(r"^Make a public link")).click()
    bea.check(f"Briefing composer: {TITLE}")
    address = bea.page.get_by_label("Address to share").input_value()
    assert BriefingPublicLink.objects.get().get_absolute_url() in address

    visitor = ui_for(None)
    response = visitor.page.goto(address)
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    visitor.check(TITLE, shot="briefing-public")
    expect(visitor.page.get_by_role("heading", level=2)).to_have_count(7)
    expect(visitor.page.get_by_role("navigation")).to_have_count(0)
    visitor.page.set_viewport_size({"width": 320, "height": 640})
    assert_fits(visitor.page, 320)

    # Withdrawn: the same address is "not found", with no hint that it existed.
    bea.page.once("dialog", lambda dialog: dialog.accept())
    bea.page.get_by_role("button", name=re.compile(r"^Withdraw the public link")).click()
    expect(bea.page.get_by_text("The public link is withdrawn")).to_be_visible()
    bea.check(f"Briefing composer: {TITLE}")
    visitor.allow_console_error(r"404")
    response = visitor.page.goto(address)
    assert response.status == 404
    visitor.check("Page not found")
    expect(visitor.page.get_by_role("main")).not_to_contain_text(TITLE)
