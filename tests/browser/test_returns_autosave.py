"""The return form in a real browser (Chromium, real CSP): an edit conflict is explained and
nothing is overwritten; a signed-out autosave keeps the typing, which is saved once the user
signs in again; unsaved typing is offered back after a reload. (Owned by the returns work.)"""

import re

import pytest
from playwright.sync_api import expect

from audits.models import Answer
from tests.factories import UserFactory

from .seed import open_audit, riverbend

pytestmark = pytest.mark.browser

GRADE_Q = "How well was the risk of neglect recognised?"
IMPACT_Q = "What difference did the support make for the child?"


def saved(page):
    return expect(page.get_by_role("status").filter(has_text=re.compile(r"Saved at \d\d:\d\d")))


def practitioner_on_a_return(ui_for):
    """The practitioner signed in, on Child A's return for Children's Social Care."""
    rb = riverbend()
    _audit, returns = open_audit(rb)
    ui = ui_for(rb.practitioner)
    ui.check("My returns")
    ui.goto(returns[("Child A", "CSC")].get_absolute_url())
    ui.check("Return for Child A")
    return ui, rb


def test_conflicting_edit_is_refused_explained_and_typing_offered_back(ui_for, transactional_db):
    rb = riverbend()
    lead = UserFactory(
        username="lena.ward",
        first_name="Lena",
        last_name="Ward",
        agencies=[rb.csc],
        agencies__lead=True,
    )
    _audit, returns = open_audit(rb)
    url = returns[("Child A", "CSC")].get_absolute_url()
    priya, lena = ui_for(rb.practitioner), ui_for(lead)
    for ui in (priya, lena):
        ui.check("My returns")
        ui.goto(url)
        ui.check("Return for Child A")

    lena.page.get_by_role("group", name=GRADE_Q).get_by_label("Good").check()
    saved(lena.page).to_be_visible()
    priya.allow_console_error(r"409")
    priya.page.get_by_role("group", name=GRADE_Q).get_by_label("Inadequate").check()
    priya.page.get_by_label(IMPACT_Q).fill("Priya's view of the impact.")
    priya.page.get_by_label(IMPACT_Q).blur()

    problem = priya.page.locator("#autosave-problem")
    expect(problem).to_contain_text("Lena Ward saved this return")
    expect(problem).to_contain_text(
        f"The saved answer to “{GRADE_Q}” is “Good”; this page has “Inadequate”."
    )
    expect(problem).not_to_contain_text(IMPACT_Q)  # Lena did not change that one
    answer = Answer.objects.get(audit_return=returns[("Child A", "CSC")], item__text=GRADE_Q)
    assert answer.choice == "good"

    problem.get_by_role("link", name="Load the saved copy").click()
    priya.check("Return for Child A")
    expect(priya.page.get_by_role("group", name=GRADE_Q).get_by_label("Good")).to_be_checked()
    panel = priya.page.get_by_role("region", name="Unsaved typing in this browser")
    expect(panel).to_contain_text(GRADE_Q)
    panel.get_by_role("button", name="Restore my typing").click()
    saved(priya.page).to_be_visible()
    assert Answer.objects.get(pk=answer.pk).choice == "inadequate"
    assert Answer.objects.get(item__text=IMPACT_Q).text == "Priya's view of the impact."


def test_a_save_from_the_same_persons_other_tab_is_named_as_such(ui_for, transactional_db):
    rb = riverbend()
    _audit, returns = open_audit(rb)
    url = returns[("Child A", "CSC")].get_absolute_url()
    priya = ui_for(rb.practitioner)
    priya.check("My returns")
    priya.goto(url)
    priya.check("Return for Child A")
    other_tab = priya.page.context.new_page()
    other_tab.goto(priya.url(url))

    other_tab.get_by_role("group", name=GRADE_Q).get_by_label("Good").check()
    saved(other_tab).to_be_visible()
    priya.allow_console_error(r"409")
    priya.page.get_by_role("group", name=GRADE_Q).get_by_label("Inadequate").check()

    problem = priya.page.locator("#autosave-problem")
    expect(problem).to_contain_text("This return was saved in another tab or window at ")
    expect(problem).not_to_contain_text("Priya Shah")
    expect(problem).to_contain_text(
        f"The saved answer to “{GRADE_Q}” is “Good”; this page has “Inadequate”."
    )
    expect(problem).not_to_contain_text("?: now")
    priya.screenshot("return-conflict-other-tab")
    other_tab.close()


def test_signed_out_autosave_keeps_typing_and_saves_after_signing_in_again(
    ui_for,
    transactional_db,
):
    ui, rb = practitioner_on_a_return(ui_for)
    page = ui.page
    # No session and no CSRF cookie: the endpoint answers 401, or 403 from the CSRF check.
    ui.allow_console_error(r"401|403|Unauthorized|Forbidden")

    page.context.clear_cookies()  # the session has ended
    page.get_by_label(IMPACT_Q).fill("Typed while the session had ended.")
    page.get_by_label(IMPACT_Q).blur()

    problem = page.locator("#autosave-problem")
    expect(problem).to_contain_text("You have been signed out")
    expect(problem.get_by_role("link", name="Sign in again in a new tab")).to_be_visible()
    expect(page.get_by_label(IMPACT_Q)).to_have_value("Typed while the session had ended.")
    assert not Answer.objects.filter(item__text=IMPACT_Q).exists()

    # Signing in again in another tab of the same browser; back in this tab saving resumes.
    other = page.context.new_page()
    ui.page = other
    ui.sign_in(rb.practitioner)
    other.close()
    ui.page = page
    page.bring_to_front()
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    saved(page).to_be_visible()
    assert Answer.objects.get(item__text=IMPACT_Q).text == "Typed while the session had ended."


def test_a_server_error_on_autosave_is_not_called_a_sign_out_and_saving_resumes(
    ui_for, transactional_db
):
    ui, _rb = practitioner_on_a_return(ui_for)
    page = ui.page
    ui.allow_console_error(r"500|Internal Server Error")
    failing = {"left": 1}

    def fail_once(route):
        if failing["left"]:
            failing["left"] -= 1
            route.fulfill(status=500, content_type="text/html", body="<h1>Server error</h1>")
        else:
            route.continue_()

    page.route("**/autosave/", fail_once)
    page.get_by_label(IMPACT_Q).fill("Typed while the server failed once.")
    page.get_by_label(IMPACT_Q).blur()

    status = page.get_by_role("status")
    expect(status).to_contain_text("AuditPortal had a problem saving")
    expect(page.locator("#autosave-problem")).not_to_contain_text("signed out")
    saved(page).to_be_visible(timeout=30_000)
    assert Answer.objects.get(item__text=IMPACT_Q).text == "Typed while the server failed once."
