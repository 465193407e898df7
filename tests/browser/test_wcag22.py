"""WCAG 2.2 criteria axe-core cannot check, checked in the browser on the journeys' pages
(recorded per page in docs/accessibility.md): focus not obscured (2.4.11), target size
(2.5.8), accessible authentication (3.3.8), redundant entry (3.3.7) and consistent help
(3.2.6)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.mfa import device_for, totp_for

from .conftest import PASSWORD
from .seed import answer_all, open_audit, published_briefing, riverbend

pytestmark = pytest.mark.browser

JS = Path(__file__).parent / "wcag22"

# 2.5.8: every target at least 24 by 24 CSS px, or an undersized one whose 24 px circle meets
# no other target (the spacing exception). Links inside a sentence are exempt (inline), as are
# targets the user agent draws and sizes (a <details> summary's marker is the summary itself).
TARGET_SIZE_PROBLEMS = (JS / "target_size_problems.js").read_text()

# 2.4.11: the focused element is not entirely hidden by author content (the return form's
# sticky action bar): at least one of its points is on top.
FOCUS_OBSCURED = (JS / "focus_obscured.js").read_text()

FOOTER_AND_HELP = (JS / "footer_and_help.js").read_text()


def assert_targets_big_enough(ui) -> None:
    problems = ui.page.evaluate(TARGET_SIZE_PROBLEMS)
    assert not problems, f"targets under 24 px on {ui.page.url}: {problems}"


def assert_focus_never_obscured(ui, *, stops: int = 40) -> None:
    ui.page.emulate_media(reduced_motion="reduce")  # Bootstrap scrolls smoothly otherwise
    ui.page.evaluate("() => window.scrollTo(0, 0)")
    ui.page.locator("body").focus()
    for _ in range(stops):
        ui.page.keyboard.press("Tab")
        hidden = ui.page.evaluate(FOCUS_OBSCURED)
        assert hidden is None, f"focus hidden behind other content on {ui.page.url}: {hidden}"


def test_business_pages_targets_and_focus(ui_for, transactional_db):
    rb = riverbend()
    audit, returns = open_audit(rb)
    a_return = returns[("Child A", "CSC")]
    ui = ui_for(rb.business)
    pages = [
        a_return.get_absolute_url(),
        f"/audits/returns/{a_return.pk}/reassign/",
        "/audits/",
        "/audits/calendar/",
        "/audits/new/",
        f"/audits/{audit.pk}/",
        f"/audits/{audit.pk}/cases/",
        f"/audits/{audit.pk}/progress/",
        "/audits/question-bank/",
        "/audits/question-sets/",
        f"/findings/audits/{audit.pk}/findings/",
        f"/findings/audits/{audit.pk}/findings/new/",
        "/findings/actions/",
        f"/findings/audits/{audit.pk}/results/",
        f"/briefings/audit/{audit.pk}/",
        "/briefings/take-up/",
    ]
    ui.check("Audit programme")
    for path in pages:
        ui.goto(path)
        ui.check(ui.page.title())
        assert_targets_big_enough(ui)
        assert_focus_never_obscured(ui, stops=25)


def test_board_pages_targets_and_focus(ui_for, transactional_db):
    rb = riverbend()
    published_briefing(rb)
    ui = ui_for(rb.board)
    ui.check(ui.page.title())
    for path in ["/briefings/", "/findings/dashboard/"]:
        ui.goto(path)
        ui.check(ui.page.title())
        assert_targets_big_enough(ui)
        assert_focus_never_obscured(ui, stops=25)


def test_practitioner_return_form_focus_is_never_under_the_sticky_buttons(ui_for, transactional_db):
    rb = riverbend()
    _audit, returns = open_audit(rb)
    ui = ui_for(rb.practitioner)
    ui.page.set_viewport_size({"width": 1280, "height": 600})
    ui.check("My returns")
    assert_targets_big_enough(ui)
    assert_focus_never_obscured(ui, stops=15)
    ui.goto(returns[("Child A", "CSC")].get_absolute_url())
    ui.check("Return for Child A")

    assert_targets_big_enough(ui)
    assert_focus_never_obscured(ui, stops=45)
    ui.goto(f"/audits/returns/{returns[('Child A', 'CSC')].pk}/concern/")
    ui.check(ui.page.title())
    assert_targets_big_enough(ui)
    assert_focus_never_obscured(ui, stops=10)


def test_return_form_never_asks_again_for_what_the_case_holds(ui_for, transactional_db):
    """3.3.7 redundant entry: the case's pseudonym, age band, level of need, agency and record
    reference are shown on the return, never asked for."""
    rb = riverbend()
    _audit, returns = open_audit(rb)
    ui = ui_for(rb.practitioner)
    ui.check("My returns")
    ui.goto(returns[("Child A", "CSC")].get_absolute_url())
    ui.check("Return for Child A")

    names = ui.page.evaluate(
        """() => Array.from(document.querySelectorAll('#return-form [name]'))
            .map(el => el.name).filter(n => n !== 'csrfmiddlewaretoken')"""
    )
    case = ui.page.get_by_role("region", name="The case")

    asked = r"q\d+(_evidence)?|version|_base|action"  # answers, evidence and the form's own
    assert names and all(re.fullmatch(asked, n) for n in names), names
    expect(case).to_contain_text("Child A")
    expect(case).to_contain_text("1 to 4")
    expect(case).to_contain_text("Child in need (tier 3)")


def test_two_factor_code_accepts_paste_and_password_managers(ui_for, transactional_db):
    """3.3.8 accessible authentication: no cognitive test. The password and code fields say
    what they are for password managers (autocomplete), and a pasted code is kept and works."""
    rb = riverbend()
    ui = ui_for(rb.practitioner, sign_in=False)
    page = ui.page
    device_for(rb.practitioner)
    ui.goto("/accounts/sign-in/")
    ui.check("Sign in")
    username = page.get_by_label(re.compile(r"^\s*Username\b"))
    password = page.get_by_label(re.compile(r"^\s*Password\b"))
    assert username.get_attribute("autocomplete") == "username"
    assert password.get_attribute("autocomplete") == "current-password"
    assert_targets_big_enough(ui)
    assert_focus_never_obscured(ui, stops=6)
    username.fill(rb.practitioner.username)
    password.fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    ui.check("Enter your code")
    assert_targets_big_enough(ui)
    assert_focus_never_obscured(ui, stops=6)
    code = page.get_by_label(re.compile(r"^\s*Code\b"))
    assert code.get_attribute("autocomplete") == "one-time-code"
    assert int(code.get_attribute("maxlength") or 99) >= 8  # room for a pasted code's spaces

    pasted = code.evaluate(
        """(el, value) => {
            el.focus();
            const data = new DataTransfer();
            data.setData('text/plain', value);
            const event = new ClipboardEvent(
                'paste', {clipboardData: data, bubbles: true, cancelable: true});
            const allowed = el.dispatchEvent(event);
            if (allowed) document.execCommand('insertText', false, value);
            return {allowed, value: el.value};
        }""",
        f" {totp_for(rb.practitioner)} ",
    )
    page.get_by_role("button", name="Continue").click()

    assert pasted["allowed"], "the code field blocks paste"
    expect(page).to_have_url(re.compile(r"/audits/my-returns/"))
    ui.check("My returns")


def test_help_and_footer_are_in_the_same_place_on_every_page(ui_for, transactional_db, settings):
    """3.2.6 consistent help: the help mechanism (the partnership's contact address in the
    footer, when it is set) is in the same place, with the same words, on every page."""
    settings.PARTNERSHIP_CONTACT_EMAIL = "audits@riverbend.example"
    rb = riverbend()
    audit, returns = open_audit(rb)
    answer_all(returns[("Child B", "CSC")], rb)
    published_briefing(rb, title="Earlier neglect audit")
    seen = {}
    for user, paths in [
        (rb.business, ["/audits/", f"/audits/{audit.pk}/", "/audits/question-bank/"]),
        (rb.practitioner, ["/audits/my-returns/", returns[("Child A", "CSC")].get_absolute_url()]),
        (rb.board, ["/briefings/", "/findings/dashboard/"]),
    ]:
        ui = ui_for(user)
        ui.page.wait_for_load_state("load")
        ui.check(ui.page.title())
        for path in paths:
            ui.goto(path)
            ui.check(ui.page.title())
            seen[path] = ui.page.evaluate(FOOTER_AND_HELP)

    assert len({s["footer"] for s in seen.values()}) == 1, seen
    assert (
        "Questions about an audit or AuditPortal: audits@riverbend.example"
        in next(iter(seen.values()))["footer"]
    )
    assert {s["last"] for s in seen.values()} == {"FOOTER"}, seen
