"""Signing in needs nothing but a keyboard, and focus is always visible."""

import pytest
from playwright.sync_api import expect

from tests.mfa import device_for, totp_for

from .seed import PASSWORD_FOR_ALL, riverbend

pytestmark = pytest.mark.browser


def test_sign_in_and_two_factor_by_keyboard_alone(ui_for, transactional_db):
    rb = riverbend()
    device_for(rb.business)
    ui = ui_for(None)
    ui.goto("/accounts/sign-in/")
    ui.check("Sign in")
    keyboard = ui.page.keyboard

    skip = ui.tab_to("Skip to main content", limit=1)
    keyboard.press("Enter")
    ui.tab_to(r"^Username")
    keyboard.type(rb.business.username)
    ui.tab_to(r"^Password")
    keyboard.type(PASSWORD_FOR_ALL)
    keyboard.press("Enter")

    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    ui.check("Enter your code")
    ui.tab_to(r"^Code")
    keyboard.type(totp_for(rb.business))
    keyboard.press("Enter")

    expect(ui.page.get_by_role("navigation", name="Main")).to_contain_text("Sign out")
    assert skip["tag"] == "a"
    ui.check(ui.page.title().split(" – ")[0])
