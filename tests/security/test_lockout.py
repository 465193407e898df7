"""Brute-force protection (django-axes): lockout per username across addresses and per address
across usernames, the client address behind the trusted proxy, cool-off, unlock, log."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from auditportal.models import AuditEvent
from tests.factories import UserFactory
from tests.mfa import mark_verified

PASSWORD = "correct-horse-battery-staple"
LOGIN = reverse("accounts:login")


def fail(client, settings, username="target", ip="10.0.0.1"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": username, "password": "wrong"}, REMOTE_ADDR=ip)


@pytest.fixture
def target(db):
    return UserFactory(username="target", role=User.Role.BOARD)


def test_lockout_after_the_failure_limit_even_with_the_right_password(client, settings, target):
    fail(client, settings)

    response = client.post(
        LOGIN, {"username": "target", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )

    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def sign_in(client, username, ip, password=PASSWORD, **headers):
    client.logout()
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **headers
    )


def test_failures_from_many_addresses_lock_the_username(client, settings, target):
    for ip in ("10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.4"):
        for _ in range(4):
            sign_in(client, "target", ip, password="wrong")

    response = sign_in(client, "target", "10.0.1.5")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_for_many_usernames_lock_the_address(client, settings, target):
    UserFactory(username="colleague", role=User.Role.BOARD)
    for name in ("alice", "bob", "carol", "dave", "erin"):
        sign_in(client, name, "10.0.2.1", password="wrong")

    from_that_address = sign_in(client, "colleague", "10.0.2.1")
    from_elsewhere = sign_in(client, "colleague", "10.0.2.2")

    assert from_that_address.status_code == 429
    assert from_elsewhere.status_code == 302


def test_a_locked_username_does_not_lock_out_a_colleague_elsewhere(client, settings, target):
    UserFactory(username="colleague", role=User.Role.BOARD)
    fail(client, settings)

    response = sign_in(client, "colleague", "10.0.0.2")

    assert response.status_code == 302


def test_signing_in_does_not_clear_the_addresss_failures_for_other_usernames(
    client, settings, target
):
    """Else anyone with one account could spray four guesses, sign in, and spray again."""
    UserFactory(username="colleague", role=User.Role.BOARD)
    for name in ("alice", "bob", "carol", "dave"):
        sign_in(client, name, "10.0.3.1", password="wrong")
    assert sign_in(client, "target", "10.0.3.1").status_code == 302

    sign_in(client, "erin", "10.0.3.1", password="wrong")
    response = sign_in(client, "colleague", "10.0.3.1")

    assert response.status_code == 429


def test_signing_in_clears_the_users_own_failures(client, settings, target):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "target", "10.0.4.1", password="wrong")
    assert sign_in(client, "target", "10.0.4.1").status_code == 302

    sign_in(client, "target", "10.0.4.2", password="wrong")
    response = sign_in(client, "target", "10.0.4.2")

    assert response.status_code == 302


PROXY = "172.16.0.1"


def test_behind_the_proxy_each_client_is_counted_by_its_own_address(client, settings, target):
    settings.BEHIND_PROXY = True
    UserFactory(username="colleague", role=User.Role.BOARD)
    for name in ("alice", "bob", "carol", "dave", "erin"):
        sign_in(client, name, PROXY, password="wrong", HTTP_X_FORWARDED_FOR="198.51.100.7")

    attacker = sign_in(client, "colleague", PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    # What a client sends is kept to the left; the proxy appends the address it saw.
    spoofing = sign_in(client, "colleague", PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    colleague = sign_in(client, "colleague", PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert (attacker.status_code, spoofing.status_code) == (429, 429)
    assert colleague.status_code == 302


def test_without_the_proxy_a_forwarded_header_is_ignored(client, settings, target):
    settings.BEHIND_PROXY = False
    UserFactory(username="colleague", role=User.Role.BOARD)
    for n, name in enumerate(("alice", "bob", "carol", "dave", "erin")):
        sign_in(client, name, "10.0.5.1", password="wrong", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}")

    response = sign_in(client, "colleague", "10.0.5.1", HTTP_X_FORWARDED_FOR="10.9.9.99")

    assert response.status_code == 429


def test_lockout_is_logged_without_the_password(client, settings, target):
    fail(client, settings)

    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SECURITY)
    assert event.code == "account.sign_in_locked"
    assert event.changes["username"] == "target"
    assert "wrong" not in str(event.changes)


def test_cool_off_ends_the_lockout(client, settings, target):
    fail(client, settings)
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(
        hours=settings.AXES_COOLOFF_TIME, minutes=1
    )

    with time_machine.travel(later):
        response = client.post(
            LOGIN, {"username": "target", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
        )

    assert response.status_code == 302


def test_management_command_unlocks(client, settings, target):
    fail(client, settings)

    call_command("axes_reset_username", "target")
    response = client.post(
        LOGIN, {"username": "target", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )

    assert response.status_code == 302


def test_administrator_unlocks_from_the_user_list(client, settings, target, admin_user):
    fail(client, settings)
    assert AccessAttempt.objects.filter(username="target").exists()

    admin_client = client.__class__()
    admin_client.force_login(admin_user)
    mark_verified(admin_client, admin_user)
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [target.pk]},
    )

    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="target").exists()
    assert AuditEvent.objects.filter(code="account.sign_in_unlocked").exists()
    assert (
        client.post(
            LOGIN, {"username": "target", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
        ).status_code
        == 302
    )


def test_non_staff_cannot_reach_the_unlock(client, business):
    client.force_login(business)

    response = client.get(reverse("admin:axes_accessattempt_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
