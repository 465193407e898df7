"""First sign-in of a practitioner: set up the authenticator from the QR code page, see the
recovery codes once, land on the start page. (Written by the security work.)"""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import User
from tests.factories import UserFactory
from tests.mfa import totp_code

from .conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_first_sign_in_sets_up_two_factor(ui_for, transactional_db):
    user = UserFactory(username="riverbend.practitioner", role=User.Role.PRACTITIONER)
    ui = ui_for(None)
    ui.goto("/accounts/sign-in/")
    ui.check("Sign in")
    ui.page.get_by_label(re.compile(r"^\s*Username\b")).fill(user.username)
    ui.page.get_by_label(re.compile(r"^\s*Password\b")).fill(PASSWORD)
    ui.page.get_by_role("button", name="Sign in").click()

    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    ui.check("Set up two-factor sign-in")
    qr = ui.page.get_by_role("img", name=re.compile("QR code for your authenticator app"))
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    ui.page.get_by_label(re.compile(r"^\s*Code\b")).fill(totp_code(device))
    ui.page.get_by_role("button", name="Confirm and continue").click()

    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    ui.check("Your recovery codes")
    expect(
        ui.page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    ).to_have_count(10)
    ui.page.get_by_role("link", name=re.compile("I have saved my codes")).click()
    expect(ui.page.get_by_role("navigation", name="Main")).to_contain_text("My returns")
    ui.check(ui.page.title().split(" – ")[0])
