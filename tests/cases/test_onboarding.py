"""Onboarding a partnership (issue 14, point 4): the hosting administrator creates it in the
browser or with `manage.py partnership_create`, with its first business-team member, who gets
an invitation e-mail at the new partnership's address and sets a password there."""

import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from auditportal.models import AuditEvent
from auditportal.tenancy import partnership_context, system_context
from audits.bank import DEFAULT_BANK
from audits.models import Question, Theme
from cases.models import Partnership, PartnershipHost
from tests.factories import UserFactory
from tests.tenancy import HOSTING_HOST

FORM = {
    "name": "Eastvale Safeguarding Children Partnership",
    "host": "eastvale.testserver",
    "business_first_name": "Ada",
    "business_last_name": "Lund",
    "business_email": "ada.lund@eastvale.example",
}


@pytest.fixture
def hosting_client(db):
    with partnership_context(None):
        hoster = UserFactory(username="hoster", role=User.Role.HOSTING)
        client = Client(HTTP_HOST=HOSTING_HOST)
        client.force_login(hoster)
    return client


def test_the_hosting_administrator_creates_a_partnership_in_the_browser(
    hosting_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = hosting_client.post(reverse("hosting:partnership-create"), FORM)

    assert response.status_code == 302
    eastvale = Partnership.objects.get(name=FORM["name"])
    assert list(eastvale.hosts.values_list("host", flat=True)) == ["eastvale.testserver"]
    with partnership_context(eastvale):
        member = User.objects.get()
        themes = Theme.objects.count()
        questions = Question.objects.count()
    assert (member.email, member.role, member.has_usable_password()) == (
        FORM["business_email"],
        User.Role.BUSINESS,
        False,
    )
    assert themes == len(DEFAULT_BANK)
    assert questions == sum(len(theme.questions) for theme in DEFAULT_BANK)
    with system_context():
        assert AuditEvent.objects.filter(code="partnership.created", partnership=None).count() == 1
    page = hosting_client.get(reverse("hosting:partnerships")).content.decode()
    assert "Eastvale Safeguarding Children Partnership" in page
    assert "eastvale.testserver" in page


def test_the_invitation_links_to_the_new_partnership_and_sets_a_password_there(
    hosting_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        hosting_client.post(reverse("hosting:partnership-create"), FORM)

    (invitation,) = mail.outbox
    assert invitation.to == [FORM["business_email"]]
    assert invitation.subject == f"You are invited to AuditPortal for {FORM['name']}"
    link = re.search(r"http://eastvale\.testserver:8000(/accounts/\S+)", invitation.body)
    assert link is not None
    browser = Client(HTTP_HOST="eastvale.testserver")
    form_page = browser.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    done = browser.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {
            "new_password1": "a-long-new-passphrase-2026",
            "new_password2": "a-long-new-passphrase-2026",
        },
    )
    assert done.status_code == 302
    signed_in = browser.post(
        reverse("accounts:login"),
        {"username": FORM["business_email"], "password": "a-long-new-passphrase-2026"},
    )
    assert signed_in.status_code == 302
    elsewhere = Client().post(
        reverse("accounts:login"),
        {"username": FORM["business_email"], "password": "a-long-new-passphrase-2026"},
    )
    assert elsewhere.status_code == 200  # not an account of the default partnership


def test_a_host_name_in_use_is_refused_on_the_page_and_nothing_is_created(hosting_client):
    partnerships = Partnership.objects.count()

    response = hosting_client.post(
        reverse("hosting:partnership-create"), FORM | {"host": "testserver"}
    )

    assert response.status_code == 200
    assert "Another partnership answers on this host name." in response.content.decode()
    assert Partnership.objects.count() == partnerships
    with system_context():
        assert not User.objects.filter(email=FORM["business_email"]).exists()


def test_a_bad_host_name_is_refused_on_the_page(hosting_client):
    response = hosting_client.post(
        reverse("hosting:partnership-create"), FORM | {"host": "not a host/../"}
    )

    assert response.status_code == 200
    assert "Enter a host name such as riverbend.example.org." in response.content.decode()
    assert not PartnershipHost.objects.filter(host__contains="/").exists()


@pytest.mark.parametrize("role", ["business", "board", "practitioner"])
def test_partnership_users_never_reach_the_hosting_pages(client_as, users, role):
    assert client_as(users[role]).get(reverse("hosting:partnerships")).status_code == 404


def test_a_hosting_administrator_sees_no_case_data(hosting_client):
    assert hosting_client.get(reverse("audits:programme")).status_code in {403, 404}
    assert hosting_client.get(reverse("home")).url == reverse("hosting:partnerships")


def test_partnership_create_command(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "partnership_create",
            "--name=Westford Safeguarding Children Partnership",
            "--host=westford.testserver",
            "--email=lee@westford.example",
            "--first-name=Lee",
        )

    westford = Partnership.objects.get(slug="westford-safeguarding-children-partnership")
    assert westford.hosts.get().host == "westford.testserver"
    assert mail.outbox[0].to == ["lee@westford.example"]
    with pytest.raises(CommandError, match="Another partnership answers on this host name"):
        call_command(
            "partnership_create",
            "--name=Again",
            "--host=westford.testserver",
            "--email=x@y.example",
        )


def test_partnership_create_command_can_make_the_first_administrator(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "partnership_create",
            "--name=Southdale Safeguarding Children Partnership",
            "--host=southdale.testserver",
            "--email=sam@southdale.example",
            "--administrator",
        )

    southdale = Partnership.objects.get(name="Southdale Safeguarding Children Partnership")
    with partnership_context(southdale):
        member = User.objects.get()
    assert (member.role, member.is_staff, member.is_superuser) == (User.Role.ADMIN, True, True)


def test_the_hosting_administrations_own_host_name_is_refused(hosting_client):
    partnerships = Partnership.objects.count()

    response = hosting_client.post(
        reverse("hosting:partnership-create"), FORM | {"host": HOSTING_HOST}
    )

    assert response.status_code == 200
    assert "This is the hosting administration&#x27;s host name." in response.content.decode()
    assert Partnership.objects.count() == partnerships
