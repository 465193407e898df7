"""Brute-force protection (django-axes): lockout per username and IP, cool-off, unlock, log."""

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


def test_lockout_is_per_username_and_ip(client, settings, target):
    UserFactory(username="colleague", role=User.Role.BOARD)
    fail(client, settings)

    other_ip = client.post(
        LOGIN, {"username": "target", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    client.logout()
    other_user = client.post(
        LOGIN, {"username": "colleague", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )

    assert other_ip.status_code == 302
    assert other_user.status_code == 302


def test_lockout_is_logged_without_the_password(client, settings, target):
    fail(client, settings)

    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SECURITY)
    assert event.verb == "sign-in locked after repeated failures"
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
    assert AuditEvent.objects.filter(verb="sign-in unlocked").exists()
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
