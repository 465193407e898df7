"""Two-factor sign-in: required per role, enrolment, verification, recovery codes, admin."""

import base64

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from auditportal.models import AuditEvent
from cases.models import Partnership
from tests.factories import UserFactory
from tests.mfa import device_for, totp_code, totp_for

PASSWORD = "correct-horse-battery-staple"
LOGIN = reverse("accounts:login")
ENROL = reverse("accounts:mfa-enrol")
VERIFY = reverse("accounts:mfa-verify")

pytestmark = pytest.mark.no_auto_mfa


def sign_in(client, username):
    return client.post(LOGIN, {"username": username, "password": PASSWORD}, follow=True)


@pytest.mark.parametrize(
    ("role", "needs"),
    [
        (User.Role.BUSINESS, True),
        (User.Role.ADMIN, True),
        (User.Role.PRACTITIONER, True),
        (User.Role.BOARD, False),
    ],
)
def test_first_sign_in_goes_to_enrolment_for_roles_that_need_it(client, db, role, needs):
    UserFactory(username="someone", role=role)

    response = sign_in(client, "someone")

    landed = response.redirect_chain[-1][0]
    assert landed.startswith(ENROL) is needs
    if not needs:
        assert landed == "/briefings/"


def test_board_members_need_it_when_the_partnership_says_so(client, db):
    partnership = Partnership.load()
    partnership.board_mfa_required = True
    partnership.save()
    UserFactory(username="boardmember", role=User.Role.BOARD)

    response = sign_in(client, "boardmember")

    assert response.redirect_chain[-1][0].startswith(ENROL)


def test_enforcement_can_be_switched_off_for_the_demo(client, db, settings):
    settings.MFA_ENFORCED = False
    UserFactory(username="someone", role=User.Role.BUSINESS)

    response = sign_in(client, "someone")

    assert response.redirect_chain[-1][0] == "/audits/"


def test_unverified_user_reaches_only_enrolment_verification_and_sign_out(client, business):
    client.force_login(business)  # password only: no second factor in this session

    for url in ["/audits/", "/briefings/", reverse("accounts:profile"), "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(ENROL), url
    assert client.get(ENROL).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_enrolment_shows_a_qr_code_and_the_key_then_recovery_codes_once(client, business):
    client.force_login(business)

    page = client.get(ENROL)
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=business, confirmed=False)
    assert 'src="data:image/svg+xml;base64,' in html
    assert html.count("QR code") >= 1
    secret_start = base64.b32encode(device.bin_key).decode()[:4]
    assert secret_start in html

    wrong = client.post(ENROL, {"token": "000000" if totp_code(device) != "000000" else "111111"})
    assert "That code is not right" in wrong.content.decode()
    assert client.get("/audits/").status_code == 302
    TOTPDevice.objects.update(throttling_failure_count=0)  # a failure throttles for a second

    done = client.post(ENROL, {"token": totp_code(device)})
    codes = [t.token for t in StaticToken.objects.filter(device__user=business)]
    assert len(codes) == 10
    assert all(code in done.content.decode() for code in codes)
    assert client.get("/audits/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(code="account.mfa_enrolled", actor=business).exists()


def test_sign_in_with_a_code_after_the_password(client, db):
    user = UserFactory(username="someone", role=User.Role.PRACTITIONER)
    device_for(user)

    response = sign_in(client, "someone")
    assert response.redirect_chain[-1][0].startswith(VERIFY)
    assert client.get("/audits/my-returns/").status_code == 302

    refused = client.post(VERIFY, {"token": "12"})
    assert "That code is not right" in refused.content.decode()
    assert AuditEvent.objects.filter(code="account.mfa_code_refused").count() == 1

    accepted = client.post(VERIFY, {"token": totp_for(user)}, follow=True)
    assert accepted.redirect_chain[-1][0] == "/audits/my-returns/"
    assert client.session[DEVICE_ID_SESSION_KEY]


def test_a_code_cannot_be_replayed(client, db):
    user = UserFactory(username="someone", role=User.Role.BUSINESS)
    code = totp_for(user)
    sign_in(client, "someone")
    client.post(VERIFY, {"token": code})
    client.logout()

    sign_in(client, "someone")
    response = client.post(VERIFY, {"token": code})

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()


def test_verification_keeps_the_page_asked_for_but_never_an_outside_address(client, db):
    user = UserFactory(username="someone", role=User.Role.BUSINESS)
    device_for(user)
    sign_in(client, "someone")

    outside = client.post(VERIFY + "?next=https://evil.example/", {"token": totp_for(user)})

    assert outside["Location"] == "/"


def test_recovery_code_signs_in_once(client, db):
    user = UserFactory(username="someone", role=User.Role.BUSINESS)
    device_for(user)
    client.force_login(user)
    from accounts.mfa import mfa_recovery_codes_regenerate

    code = mfa_recovery_codes_regenerate(user=user)[0]

    first = client.post(VERIFY, {"token": code})
    assert first.status_code == 302
    client.logout()
    client.force_login(user)
    second = client.post(VERIFY, {"token": code})
    assert second.status_code == 200
    assert AuditEvent.objects.filter(code="account.recovery_code_used").count() == 1


def test_recovery_codes_are_replaced_from_the_profile_page(client, db):
    user = UserFactory(username="someone", role=User.Role.BUSINESS)
    device = device_for(user)
    client.force_login(user)
    client.post(VERIFY, {"token": totp_code(device)})
    profile = client.get(reverse("accounts:profile"))
    assert "Make new recovery codes" in profile.content.decode()

    first = client.post(reverse("accounts:mfa-recovery-codes"))
    old = {t.token for t in StaticToken.objects.filter(device__user=user)}
    second = client.post(reverse("accounts:mfa-recovery-codes"))
    new = {t.token for t in StaticToken.objects.filter(device__user=user)}

    assert first.status_code == second.status_code == 200
    assert len(new) == 10 and not (old & new)
    assert all(code in second.content.decode() for code in new)


def test_admin_needs_a_verified_session_even_for_an_optional_role(client, db):
    staff_board = UserFactory(username="boardstaff", role=User.Role.BOARD, is_staff=True)
    client.force_login(staff_board)

    assert client.get("/briefings/").status_code == 200
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL)


def test_admin_can_reset_a_users_two_factor(client, admin_user, db):
    user = UserFactory(username="lostphone", role=User.Role.PRACTITIONER)
    device_for(user)
    from tests.mfa import mark_verified

    client.force_login(admin_user)
    mark_verified(client, admin_user)

    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [user.pk]},
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(code="account.mfa_reset").exists()


def test_force_login_sessions_are_verified_without_the_marker(db):
    """The autouse fixture is off in this module; check the helper it uses."""
    from django.test import Client

    from tests.mfa import mark_verified

    user = UserFactory(role=User.Role.BUSINESS)
    client = Client()
    client.force_login(user)
    mark_verified(client, user)

    assert client.get("/audits/").status_code == 200


def test_repeated_wrong_codes_are_slowed_down_and_the_page_says_how_long(client, db):
    user = UserFactory(username="someone", role=User.Role.BUSINESS)
    device_for(user)
    sign_in(client, "someone")

    for _ in range(3):
        response = client.post(VERIFY, {"token": "000001"})
    right_code_too_soon = client.post(VERIFY, {"token": totp_for(user)})

    assert "Wait" in response.content.decode()
    assert right_code_too_soon.status_code == 302  # totp_for clears the pause (tests only)


def _signed_in_with_recovery_codes(client):
    from accounts.mfa import mfa_recovery_codes_regenerate

    user = UserFactory(username="someone", role=User.Role.BUSINESS)
    device_for(user)
    codes = mfa_recovery_codes_regenerate(user=user)
    sign_in(client, "someone")
    return user, codes


def _mistyped(code: str) -> str:
    """The code with its last character changed: never the code itself, whatever it ends in."""
    return code[:-1] + ("y" if code[-1] == "x" else "x")


def test_a_mistyped_recovery_code_is_never_the_code_itself():
    assert _mistyped("abcdx") == "abcdy"
    assert _mistyped("abcdy") == "abcdx"


def test_a_mistyped_authenticator_code_does_not_hold_back_a_recovery_code(client, db):
    _user, codes = _signed_in_with_recovery_codes(client)

    wrong = client.post(VERIFY, {"token": "000001"})
    recovery = client.post(VERIFY, {"token": codes[0]})

    assert "That code is not right" in wrong.content.decode()
    assert recovery.status_code == 302


def test_a_valid_recovery_code_after_a_mistyped_one_says_how_long_to_wait(client, db):
    import datetime

    import time_machine
    from django.utils import timezone

    _user, codes = _signed_in_with_recovery_codes(client)
    now = timezone.now()

    with time_machine.travel(now, tick=False):
        client.post(VERIFY, {"token": _mistyped(codes[0])})
        too_soon = client.post(VERIFY, {"token": codes[0]})
    with time_machine.travel(now + datetime.timedelta(seconds=3), tick=False):
        after_the_pause = client.post(VERIFY, {"token": codes[0]})

    message = too_soon.content.decode()
    assert "Wait 1 second, then try the recovery code again." in message
    assert "newest code from your app" not in message
    assert after_the_pause.status_code == 302


@pytest.mark.parametrize("page", [ENROL, VERIFY])
def test_before_the_code_only_sign_out_is_offered(client, db, page):
    user = UserFactory(username="someone", role=User.Role.BUSINESS)
    if page == VERIFY:
        device_for(user)
    client.force_login(user)  # password only: no second factor in this session

    html = client.get(page).content.decode()

    assert 'id="main-nav"' in html
    assert "Sign out" in html
    assert "Audit programme" not in html
    assert "Audit trail" not in html
    assert reverse("accounts:profile") not in html


def test_after_the_code_the_navigation_shows(client, db):
    user = UserFactory(username="someone", role=User.Role.BUSINESS)
    sign_in(client, "someone")

    html = client.post(VERIFY, {"token": totp_for(user)}, follow=True).content.decode()

    assert "Audit programme" in html
    assert reverse("accounts:profile") in html
