"""The footer's help: the partnership's contact address on every page, when it is set."""

from django.urls import reverse


def test_footer_gives_the_partnership_contact_when_set(client_as, practitioner, settings):
    settings.PARTNERSHIP_CONTACT_EMAIL = "audits@riverbend.example"

    body = client_as(practitioner).get(reverse("audits:my-returns")).content.decode()

    assert (
        'Questions about an audit or AuditPortal: <a href="mailto:audits@riverbend.example">'
        in body
    )


def test_footer_has_no_contact_line_when_none_is_set(client_as, practitioner, settings):
    settings.PARTNERSHIP_CONTACT_EMAIL = ""

    body = client_as(practitioner).get(reverse("audits:my-returns")).content.decode()

    assert "Questions about an audit" not in body
