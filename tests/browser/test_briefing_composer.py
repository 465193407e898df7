"""The briefing composer in a real browser (Chromium, real CSP), issue 17 point 5: typing is
saved by itself ("Saved at hh:mm"); offline, the status says so, the text stays on the page
and in this browser, and it is saved once the network is back; a closed tab's typing is
offered back; two members of the business team editing at once see both texts and choose."""

import re

import pytest
from playwright.sync_api import expect

from briefings.models import Briefing

from .seed import published_briefing, riverbend

pytestmark = pytest.mark.browser

TITLE = "Neglect in families with younger children"
TOPIC = re.compile(r"What is meant by")
OFFLINE_ERRORS = r"ERR_INTERNET_DISCONNECTED|Failed to fetch|htmx|ERR_FAILED"


def saved(page):
    return expect(page.locator("#save-status")).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"))


def open_composer(ui, briefing):
    ui.goto(f"/briefings/audit/{briefing.audit_id}/")
    ui.check(f"Briefing composer: {TITLE}")


def topic_of(briefing) -> str:
    return Briefing.objects.get(pk=briefing.pk).topic


def test_typing_is_saved_kept_offline_and_saved_when_back(ui_for, transactional_db):
    rb = riverbend()
    _audit, briefing = published_briefing(rb, title=TITLE)
    bea = ui_for(rb.business)
    bea.check("Audit programme")
    open_composer(bea, briefing)
    page = bea.page
    box = page.get_by_role("textbox", name=TOPIC)

    box.fill("")
    box.press_sequentially("Neglect builds up **over time**.")
    saved(page)
    assert topic_of(briefing) == "Neglect builds up **over time**."
    bea.screenshot("briefing-composer-saved")

    # The network goes: the status says so, the typing stays on the page and in this browser.
    bea.allow_console_error(OFFLINE_ERRORS)
    page.context.set_offline(True)
    box.press_sequentially(" Typed on the train.")
    status = page.locator("#save-status")
    expect(status).to_contain_text("Not saved — retrying")
    expect(box).to_have_value("Neglect builds up **over time**. Typed on the train.")
    kept = page.evaluate(f"localStorage.getItem('auditportal:briefing-draft:{briefing.pk}')")
    assert "Typed on the train." in kept
    assert topic_of(briefing) == "Neglect builds up **over time**."
    bea.screenshot("briefing-composer-offline")

    # Back online: saved at once, without waiting for the next retry.
    page.context.set_offline(False)
    saved(page)
    assert topic_of(briefing) == "Neglect builds up **over time**. Typed on the train."
    kept = page.evaluate(f"localStorage.getItem('auditportal:briefing-draft:{briefing.pk}')")
    assert kept is None


def test_typing_in_a_tab_closed_before_it_saved_is_offered_back(ui_for, transactional_db):
    rb = riverbend()
    _audit, briefing = published_briefing(rb, title=TITLE)
    bea = ui_for(rb.business)
    bea.check("Audit programme")
    open_composer(bea, briefing)
    bea.allow_console_error(OFFLINE_ERRORS)
    page = bea.page
    page.context.set_offline(True)  # the save never arrives, nor the one on closing

    page.get_by_role("textbox", name=TOPIC).fill("Written just before the tab closed.")
    page.get_by_role("textbox", name=TOPIC).blur()
    expect(page.locator("#save-status")).to_contain_text("Not saved — retrying")
    page.close(run_before_unload=False)
    page.context.set_offline(False)
    assert topic_of(briefing) != "Written just before the tab closed."

    bea.page = page.context.new_page()
    open_composer(bea, briefing)
    panel = bea.page.get_by_role("region", name="Unsaved typing in this browser")
    expect(panel).to_contain_text("You have unsaved typing in this browser")
    expect(panel).to_contain_text("2. What is meant by")
    bea.screenshot("briefing-composer-draft-offered")
    panel.get_by_role("button", name="Restore my typing").click()

    saved(bea.page)
    assert topic_of(briefing) == "Written just before the tab closed."


def test_two_editors_at_once_see_both_texts_and_choose(ui_for, transactional_db):
    rb = riverbend()
    _audit, briefing = published_briefing(rb, title=TITLE)
    bea, other = ui_for(rb.business), ui_for(rb.business2)
    for ui in (bea, other):
        ui.check("Audit programme")
        open_composer(ui, briefing)

    other.page.get_by_role("textbox", name=TOPIC).fill("Callum's definition of neglect.")
    saved(other.page)
    bea.allow_console_error(r"409")
    bea.page.get_by_role("textbox", name=TOPIC).fill("Bea's definition of neglect.")
    bea.page.get_by_role("textbox", name=TOPIC).blur()

    problem = bea.page.locator("#autosave-problem")
    expect(problem).to_contain_text("Callum Reid saved this briefing at")
    expect(problem).to_contain_text("nothing of theirs was overwritten")
    choice = problem.get_by_role("group", name=TOPIC)
    expect(choice).to_contain_text("Callum's definition of neglect.")
    expect(choice).to_contain_text("Bea's definition of neglect.")
    expect(bea.page.locator("#save-status")).to_have_text(
        "Not saved: someone else saved this briefing."
    )
    assert topic_of(briefing) == "Callum's definition of neglect."
    bea.assert_accessible()
    bea.screenshot("briefing-composer-conflict")
    bea.page.set_viewport_size({"width": 360, "height": 800})  # both texts stack on a phone
    problem.scroll_into_view_if_needed()
    bea.page.screenshot(path=str(bea.screenshot_dir / "briefing-composer-conflict-phone.png"))
    bea.page.set_viewport_size({"width": 1280, "height": 900})

    # Saving needs a choice for every point named.
    problem.get_by_role("button", name="Save with my choices").click()
    expect(problem).to_contain_text("Choose which text to keep for: 2. What is meant by")
    assert topic_of(briefing) == "Callum's definition of neglect."
    choice.get_by_label("Keep my text").check()
    problem.get_by_role("button", name="Save with my choices").click()

    saved(bea.page)
    assert topic_of(briefing) == "Bea's definition of neglect."
