"""Idle timeout warning (WCAG 2.2.1): two minutes before the server would end an idle
session a dialog offers "Stay signed in", which extends the session without losing the page.
(Written by the security work; server-side rules are in tests/security/test_sessions.py.)"""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_idle_warning_offers_to_stay_signed_in(ui_for, transactional_db):
    user = UserFactory(username="riverbend.business", role=User.Role.BUSINESS)
    ui = ui_for(user)
    ui.check(ui.page.title().split(" – ")[0])  # the start page after signing in
    ui.page.clock.install()
    ui.goto("/accounts/profile/")
    ui.check("Your account")
    dialog = ui.page.get_by_role("dialog", name="Are you still there?")
    expect(dialog).to_be_hidden()

    ui.page.clock.fast_forward("28:05")

    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("you will be signed out in")
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    ui.assert_accessible()
    with ui.page.expect_response("**/accounts/keep-alive/") as ping:
        stay.click()
    assert ping.value.status == 200
    expect(dialog).to_be_hidden()
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Your account")
