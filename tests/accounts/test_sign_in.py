import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory
from tests.mfa import device_for, totp_for

PASSWORD = "correct-horse-battery-staple"
LOGIN = reverse("accounts:login")


@pytest.mark.parametrize(
    ("role", "home"),
    [
        (User.Role.BUSINESS, "/audits/"),
        (User.Role.ADMIN, "/audits/"),
        (User.Role.PRACTITIONER, "/audits/my-returns/"),
        (User.Role.BOARD, "/briefings/"),
    ],
)
def test_sign_in_lands_on_role_home(client, db, role, home):
    user = UserFactory(username="someone", role=role)
    device_for(user)  # enrolled already: the second step asks for a code

    response = client.post(LOGIN, {"username": "someone", "password": PASSWORD}, follow=True)
    if role != User.Role.BOARD:  # two-factor step (tests/security/test_mfa.py covers it)
        assert response.redirect_chain[-1][0] == reverse("accounts:mfa-verify")
        response = client.post(
            response.redirect_chain[-1][0], {"token": totp_for(user)}, follow=True
        )

    assert response.redirect_chain[-1][0] == home
    assert response.status_code == 200


def test_bad_password_and_unknown_user_get_the_same_message(client, db):
    UserFactory(username="known")

    wrong_password = client.post(LOGIN, {"username": "known", "password": "wrong"})
    unknown_user = client.post(LOGIN, {"username": "nobody", "password": "wrong"})

    message = "The username or password is not right. Check both and try again."
    assert message in wrong_password.content.decode()
    assert message in unknown_user.content.decode()
    assert wrong_password.status_code == unknown_user.status_code == 200


def test_inactive_user_cannot_sign_in_and_gets_the_generic_message(client, db):
    UserFactory(username="gone", is_active=False)

    response = client.post(LOGIN, {"username": "gone", "password": PASSWORD})

    assert "The username or password is not right" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_anonymous_home_redirects_to_sign_in(client, db):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_sign_out_ends_the_session(client, business):
    client.force_login(business)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_emails_a_link_only_to_a_known_address(client, db):
    UserFactory(username="reset", email="reset@example.org")

    known = client.post(reverse("accounts:password-reset"), {"email": "reset@example.org"})
    unknown = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})

    assert known["Location"] == unknown["Location"] == reverse("accounts:password-reset-sent")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["reset@example.org"]
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_password_reset_link_sets_a_new_password(client, db):
    user = UserFactory(username="reset", email="reset@example.org")
    client.post(reverse("accounts:password-reset"), {"email": "reset@example.org"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("testserver", 1)[1].strip()

    form_page = client.get(path, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "a-much-better-passphrase-42",
            "new_password2": "a-much-better-passphrase-42",
        },
    )

    assert response["Location"] == reverse("accounts:password-reset-complete")
    user.refresh_from_db()
    assert user.check_password("a-much-better-passphrase-42")


def test_password_change_requires_the_old_password(client, practitioner):
    client.force_login(practitioner)
    url = reverse("accounts:password-change")

    refused = client.post(
        url,
        {
            "old_password": "wrong",
            "new_password1": "new-passphrase-1234",
            "new_password2": "new-passphrase-1234",
        },
    )
    accepted = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "new-passphrase-1234",
            "new_password2": "new-passphrase-1234",
        },
    )

    assert refused.status_code == 200
    assert "Your old password was entered incorrectly" in refused.content.decode()
    assert accepted.status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.check_password("new-passphrase-1234")


def test_unknown_url_gets_the_styled_404_page(client, business, settings):
    settings.DEBUG = False
    client.force_login(business)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Traceback" not in response.content.decode()
