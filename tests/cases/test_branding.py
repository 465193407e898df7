"""What differs per partnership on pages and e-mails (issue 14, point 3): its name, colour,
contact address and sender name."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from auditportal.tenancy import partnership_context
from audits.notifications import notify_audit_opened
from cases.hosts import host_map
from cases.models import HOUSE_COLOUR, Partnership
from tests.tenancy import SECOND_HOST, second_partnership

from ..factories import AgencyFactory, ReturnFactory, UserFactory


def test_pages_show_the_partnerships_own_name_and_contact_address(second, client):
    second.contact_email = "audits@northmoor.example"
    second.save()

    html = Client(HTTP_HOST=SECOND_HOST).get(reverse("accounts:login")).content.decode()
    ours = client.get(reverse("accounts:login")).content.decode()

    assert "Northmoor Safeguarding Children Partnership" in html
    assert "audits@northmoor.example" in html
    assert "Northmoor" not in ours


def test_a_partnerships_colour_is_its_stylesheet_and_the_house_colour_needs_none(second):
    second.brand_colour = "#24553a"
    second.save()
    host_map()
    client = Client(HTTP_HOST=SECOND_HOST)

    page = client.get(reverse("accounts:login")).content.decode()
    css = client.get(reverse("partnership-css"))
    house = Client().get(reverse("accounts:login")).content.decode()

    assert f'href="{reverse("partnership-css")}"' in page
    assert css["Content-Type"] == "text/css; charset=utf-8"
    assert css.content.decode() == ":root { --ap-navy: #24553a; }\n"
    assert reverse("partnership-css") not in house


@pytest.mark.parametrize("colour", ["#ffbf47", "#f0f0f0", "#777777"])
def test_a_colour_white_text_cannot_be_read_on_is_refused(db, colour):
    partnership = Partnership(name="Pale", slug="pale", brand_colour=colour)

    with pytest.raises(ValidationError) as refused:
        partnership.full_clean()

    assert refused.value.message_dict["brand_colour"] == [
        "White text on this colour is too hard to read: choose a darker colour."
    ]


def test_the_house_colour_is_the_default(db):
    assert Partnership().brand_colour == HOUSE_COLOUR


def test_emails_come_from_the_partnerships_sender_name(second):
    second.sender_name = "Northmoor audits"
    second.save()
    host_map()
    with partnership_context(second):
        agency = AgencyFactory()
        UserFactory(email="kofi@northmoor.example", agencies=[agency])
        audit_return = ReturnFactory(agency=agency)

        notify_audit_opened(audit_id=audit_return.audit_id)

    (email,) = mail.outbox
    assert email.from_email == "Northmoor audits <auditportal@localhost>"
    assert "Northmoor Safeguarding Children Partnership – AuditPortal" in email.body


@pytest.fixture
def second(db):
    return second_partnership()


def test_the_admin_site_on_a_partnerships_address_names_that_partnership(second, admin_user):
    from accounts.models import User

    with partnership_context(second):
        northmoor_admin = UserFactory(
            username="nm-admin", role=User.Role.ADMIN, is_staff=True, is_superuser=True
        )
        northmoor = Client(HTTP_HOST=SECOND_HOST)
        northmoor.force_login(northmoor_admin)
    ours = Client()
    ours.force_login(admin_user)

    theirs = northmoor.get(reverse("admin:index")).content.decode()
    mine = ours.get(reverse("admin:index")).content.decode()

    assert "Northmoor Safeguarding Children Partnership: AuditPortal administration" in theirs
    assert "| Northmoor Safeguarding Children Partnership: AuditPortal administration" in theirs
    assert "Northmoor" not in mine


def test_the_authenticator_app_entry_names_the_users_own_partnership(second):
    from accounts.mfa import pending_totp_device

    with partnership_context(second):
        member = UserFactory(username="nm-member")
        device = pending_totp_device(member)

        assert "issuer=Northmoor%20Safeguarding%20Children%20Partnership" in device.config_url
