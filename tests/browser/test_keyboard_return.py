"""A practitioner completes a return with the keyboard alone: Tab order follows the form,
focus is always visible, radios answer with the arrow keys, and a failed submit moves focus
to the error summary, whose links take focus to the question."""

import re

import pytest
from playwright.sync_api import expect

from audits.models import Return

from .seed import open_audit, riverbend

pytestmark = pytest.mark.browser

VOICE_Q = "How well were the child's wishes and feelings heard and acted on?"


def test_return_completed_by_keyboard_alone(ui_for, transactional_db):
    rb = riverbend()
    _audit, returns = open_audit(rb)
    ui = ui_for(rb.practitioner)
    page = ui.page
    keyboard = page.keyboard
    ui.check("My returns")

    ui.tab_to(r"^Child A")
    keyboard.press("Enter")
    ui.check("Return for Child A")

    # Question 1 (grade): Tab reaches the first option, arrows choose.
    focus = ui.tab_to(r"^Outstanding$")
    keyboard.press("Space")
    keyboard.press("ArrowDown")
    grade = page.get_by_role("group", name="How well was the risk of neglect recognised?")
    expect(grade.get_by_label("Good")).to_be_checked()
    assert ui.focused()["name"] == "Good"
    ui.tab_to(r"^Evidence")
    keyboard.type("The chronology shows the school's concerns were shared the same week.")

    # Question 2 (yes/partly/no).
    ui.tab_to(r"^Yes$")
    keyboard.press("Space")
    lived = page.get_by_role("group", name=re.compile(r"lived experiences"))
    expect(lived.get_by_label("Yes", exact=True)).to_be_checked()

    # Skip the third (required) question: submit straight away.
    ui.tab_to(r"^Submit return$", limit=80)
    keyboard.press("Enter")

    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    ui.check("Return for Child A")
    ui.assert_accessible()
    focus = ui.focused()
    assert focus["id"] == "error-summary", f"focus is on {focus}, not the error summary"
    assert Return.objects.get(pk=returns[("Child A", "CSC")].pk).status != "submitted"

    # The summary's link takes focus to the unanswered question.
    ui.tab_to(re.compile(re.escape(VOICE_Q[:30])).pattern, limit=10)
    keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#"))
    focus = ui.assert_focus_visible()
    in_question = page.evaluate(
        """(text) => {
            const el = document.activeElement;
            const block = el.closest('.question') || el;
            return block.innerText.includes(text);
        }""",
        VOICE_Q,
    )
    assert in_question, f"focus after the error link: {focus}"
    assert focus["name"] == "Outstanding", focus
    keyboard.press("Space")
    voice = page.get_by_role("group", name=VOICE_Q)
    expect(voice.get_by_label("Outstanding")).to_be_checked()

    ui.tab_to(r"^Submit return$", limit=80)
    keyboard.press("Enter")

    expect(page.get_by_role("note").filter(has_text="Submitted by Priya Shah")).to_be_visible()
    ui.check("Return for Child A")
    assert Return.objects.get(pk=returns[("Child A", "CSC")].pk).status == "submitted"
