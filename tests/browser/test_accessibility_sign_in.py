"""Sign-in and two-factor pages: axe clean, titled, errors announced and linked to fields."""

import re

import pytest
from playwright.sync_api import expect

from .seed import riverbend

pytestmark = pytest.mark.browser


def test_sign_in_with_a_wrong_password_shows_an_accessible_error(ui_for, transactional_db):
    rb = riverbend()
    ui = ui_for(None)
    ui.goto("/accounts/sign-in/")
    ui.check("Sign in", shot="sign-in")

    ui.page.get_by_label(re.compile(r"^\s*Username")).fill(rb.practitioner.username)
    ui.page.get_by_label(re.compile(r"^\s*Password")).fill("not-the-password")
    ui.page.get_by_role("button", name="Sign in").click()

    expect(ui.page.get_by_text("The username or password is not right")).to_be_visible()
    ui.check("Sign in")
    ui.assert_accessible()


def test_two_factor_step_is_accessible_and_signs_in(ui_for, transactional_db):
    rb = riverbend()

    ui = ui_for(rb.practitioner)

    expect(ui.page.get_by_role("heading", level=1)).to_have_text("My returns")
    ui.check("My returns")
    assert "two-factor" in " ".join(sorted(ui.checked))
