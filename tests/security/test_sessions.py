"""Sessions: idle timeout with a warning hook, absolute lifetime, deactivation, no-store."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse

from accounts.models import User

LOGIN = reverse("accounts:login")
KEEP_ALIVE = reverse("accounts:keep-alive")


@pytest.fixture
def clock():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)) as traveller:
        yield traveller


def later(clock, minutes):
    clock.shift(datetime.timedelta(minutes=minutes))


def test_idle_session_ends_with_a_message(client, business, clock):
    client.force_login(business)
    assert client.get("/audits/").status_code == 200

    later(clock, 31)
    response = client.get("/audits/")

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Faudits%2F"
    page = client.get(response["Location"])
    assert "You were signed out after 30 minutes without activity." in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_activity_keeps_the_session_alive(client, business, clock):
    client.force_login(business)

    for _ in range(4):
        later(clock, 20)
        assert client.get("/audits/").status_code == 200


def test_polling_marked_passive_does_not_count_as_activity(client, business, clock):
    client.force_login(business)

    later(clock, 20)
    assert client.get("/audits/", HTTP_X_SESSION_PASSIVE="1").status_code == 200
    later(clock, 11)
    response = client.get("/audits/")

    assert response.status_code == 302


def test_stay_signed_in_button_pings_keep_alive(client, business, clock):
    client.force_login(business)

    later(clock, 28)
    ping = client.post(KEEP_ALIVE, HTTP_X_SESSION_PASSIVE="1")
    later(clock, 28)

    assert ping.status_code == 200
    assert ping.json() == {"signed_in": True, "idle_seconds": 1800}
    assert client.get("/audits/").status_code == 200


def test_keep_alive_after_expiry_says_signed_out(client, business, clock):
    client.force_login(business)
    later(clock, 31)

    assert client.post(KEEP_ALIVE).status_code == 401
    assert "_auth_user_id" not in client.session


def test_an_autosave_after_expiry_gets_the_views_signed_out_answer(client, practitioner, clock):
    client.force_login(practitioner)
    later(clock, 31)

    response = client.post("/audits/returns/999999/autosave/", {"version": "0"})

    assert response.status_code == 401
    assert response.json()["error"] == "signed_out"


def test_htmx_request_after_expiry_redirects_the_whole_page(client, business, clock):
    client.force_login(business)
    later(clock, 31)

    response = client.get("/audits/", HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    assert response["HX-Redirect"] == LOGIN


def test_idle_timeout_is_a_setting(client, business, clock, settings):
    settings.SESSION_IDLE_SECONDS = 5 * 60
    client.force_login(business)

    later(clock, 6)

    assert client.get("/audits/").status_code == 302


def test_absolute_lifetime_ends_even_an_active_session(client, business, clock, settings):
    settings.SESSION_COOKIE_AGE = 2 * 60 * 60
    client.force_login(business)
    for _ in range(5):
        later(clock, 20)
        assert client.get("/audits/").status_code == 200

    later(clock, 21)  # 121 minutes after signing in, 21 after the last request
    response = client.get("/audits/", follow=True)

    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert "because you had been signed in for 2 hours" in response.content.decode()


def test_pages_expose_the_idle_timeout_to_the_warning_script(client, business):
    client.force_login(business)

    html = client.get("/audits/").content.decode()

    assert 'data-session-idle="1800"' in html
    assert f'data-session-keepalive="{KEEP_ALIVE}"' in html
    assert "js/session.js" in html
    assert 'id="session-timeout"' in html and "Stay signed in" in html


def test_deactivating_a_user_ends_their_sessions(client, practitioner):
    client.force_login(practitioner)
    assert client.get("/audits/my-returns/").status_code == 200

    practitioner.is_active = False
    practitioner.save()

    assert not Session.objects.exists()
    assert client.get("/audits/my-returns/").status_code == 302


def test_a_deactivated_user_whose_session_survived_is_signed_out(client, practitioner):
    client.force_login(practitioner)
    # A bulk update sends no signal, so the session row stays; Django still refuses it.
    User.objects.filter(pk=practitioner.pk).update(is_active=False)

    response = client.get("/audits/my-returns/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_signed_in_pages_are_not_cached(client, business):
    client.force_login(business)

    response = client.get("/audits/")

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_security_headers(client, business):
    client.force_login(business)

    response = client.get("/audits/", secure=True)

    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_session_cookie_is_http_only_and_same_site(client, db, settings):
    from tests.factories import UserFactory

    UserFactory(username="boardmember", role="board")
    response = client.post(
        LOGIN, {"username": "boardmember", "password": "correct-horse-battery-staple"}
    )

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
