"""Immediate-concern alerts cannot silently fail: subjects are one line whatever a title
holds, titles and names are refused with a line break, an alert that cannot be sent is tried
again, then shown to the business team and written to the trail, and the concern's page says
whether each alert went."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from auditportal.models import AuditEvent
from audits.models import Audit, ConcernAlert, ImmediateConcern
from audits.notifications import ALERT_ATTEMPTS
from tests import mail as down
from tests.factories import AgencyFactory, SubGroupFactory, UserFactory

from .returns_builders import build_open_audit

DESCRIPTION = "The child said nobody was at home for two nights."
CRAFTED = "Deep dive\r\nBcc: attacker@example.org"


@pytest.fixture
def built(agency_a):
    return build_open_audit(agencies=[agency_a])


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "tests.mail.DownBackend"
    down.state["failures"] = None
    yield down.state
    down.state["failures"] = None


def raise_concern(client, built, agency, capture):
    audit_return = built.return_for(agency)
    with capture(execute=True):
        response = client.post(
            reverse("audits:concern-raise", args=[audit_return.pk]), {"description": DESCRIPTION}
        )
    assert response.status_code == 302
    return ImmediateConcern.objects.get()


def test_a_line_break_stored_in_a_title_does_not_stop_the_alerts(
    client_as, practitioner, business, built, agency_a, django_capture_on_commit_callbacks
):
    Audit.objects.filter(pk=built.audit.pk).update(title=CRAFTED)  # stored before validation

    concern = raise_concern(
        client_as(practitioner), built, agency_a, django_capture_on_commit_callbacks
    )

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [business.email, agency_a.safeguarding_lead_email]
    )
    for message in mail.outbox:
        assert message.subject == "Immediate concern raised: Deep dive Bcc: attacker@example.org"
        assert message.bcc == []
        assert "\n" not in message.message()["Subject"]
    assert set(concern.alerts.values_list("status", flat=True)) == {ConcernAlert.Status.SENT}


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: Audit(title=CRAFTED), "title"),
        (lambda: AgencyFactory.build(name="Police\nBcc: x@example.org"), "name"),
        (lambda: SubGroupFactory.build(name="Schools\u2028Bcc: x"), "name"),
    ],
)
def test_titles_and_names_with_a_line_break_are_refused_by_the_model(db, make, field):
    with pytest.raises(ValidationError) as refused:
        make().full_clean()

    assert refused.value.message_dict[field] == ["Write this on one line (no line breaks)."]


def test_the_audit_form_refuses_a_title_with_a_line_break(client_as, business, built):
    url = reverse("audits:audit-edit", args=[built.audit.pk])
    data = {
        name: value
        for name, value in client_as(business).get(url).context["form"].initial.items()
        if value is not None
    }
    data.update(title=CRAFTED, question_set=built.audit.question_set_id)

    response = client_as(business).post(url, data)

    assert "Write this on one line (no line breaks)." in response.content.decode()
    assert Audit.objects.get(pk=built.audit.pk).title == built.audit.title


def test_the_concern_page_shows_each_alert_delivered(
    client_as, practitioner, business, built, agency_a, django_capture_on_commit_callbacks
):
    concern = raise_concern(
        client_as(practitioner), built, agency_a, django_capture_on_commit_callbacks
    )

    page = client_as(business).get(reverse("audits:concern-resolve", args=[concern.pk]))

    html = page.content.decode()
    assert html.count("Sent to the mail server") == 2
    assert escape(f"{agency_a.name}'s safeguarding lead") in html
    assert business.get_full_name() in html


def test_an_alert_that_fails_at_first_is_tried_again_and_goes(
    client_as,
    practitioner,
    business,
    built,
    agency_a,
    mail_server_down,
    django_capture_on_commit_callbacks,
):
    mail_server_down["failures"] = 3

    concern = raise_concern(
        client_as(practitioner), built, agency_a, django_capture_on_commit_callbacks
    )

    assert len(mail.outbox) == 2
    assert set(concern.alerts.values_list("status", flat=True)) == {ConcernAlert.Status.SENT}
    assert max(concern.alerts.values_list("attempts", flat=True)) >= 2


def test_an_alert_that_cannot_be_sent_is_shown_to_the_business_team_and_in_the_trail(
    client_as,
    practitioner,
    business,
    built,
    agency_a,
    mail_server_down,
    django_capture_on_commit_callbacks,
):
    concern = raise_concern(
        client_as(practitioner), built, agency_a, django_capture_on_commit_callbacks
    )

    alerts = list(concern.alerts.all())
    assert {a.status for a in alerts} == {ConcernAlert.Status.FAILED}
    assert min(a.attempts for a in alerts) >= ALERT_ATTEMPTS  # and the first try at once
    assert all("SMTPServerDisconnected" in a.last_error for a in alerts)
    failed = AuditEvent.objects.filter(code="concern.alert_failed")
    assert failed.count() == 2
    assert {e.target_id for e in failed} == {str(concern.pk)}
    home = client_as(business).get(reverse("audits:programme")).content.decode()
    assert "An immediate-concern alert could not be e-mailed" in home
    assert reverse("audits:concern-resolve", args=[concern.pk]) in home
    page = client_as(business).get(reverse("audits:concern-resolve", args=[concern.pk]))
    assert page.content.decode().count("Not delivered") == 2


def test_a_business_team_member_without_an_address_is_shown_as_not_alerted(
    client_as, practitioner, business, built, agency_a, django_capture_on_commit_callbacks
):
    UserFactory(username="noaddress", role="business", email="")

    concern = raise_concern(
        client_as(practitioner), built, agency_a, django_capture_on_commit_callbacks
    )

    alert = concern.alerts.get(recipient__username="noaddress")
    assert alert.status == ConcernAlert.Status.FAILED
    assert alert.last_error == "No e-mail address on the account."


def test_every_email_subject_is_one_line_whatever_a_stored_name_holds(db):
    """Names stored before they were validated: the e-mails still go, on one-line subjects."""
    import datetime

    import time_machine

    from findings.tasks import email_overdue_actions
    from tests.factories import ActionFactory, AuditFactory

    subgroup = SubGroupFactory(lead_email="chair@health.example")
    SubGroupFactory._meta.model.objects.filter(pk=subgroup.pk).update(
        name="Health\r\nBcc: attacker@example.org"
    )
    monday = datetime.datetime(2026, 3, 9, 7, 0, tzinfo=datetime.UTC)
    ActionFactory(
        audit=AuditFactory(),
        owner_agency=None,
        owner_subgroup=subgroup,
        due_date=datetime.date(2026, 3, 2),
    )

    with time_machine.travel(monday, tick=False):
        sent = email_overdue_actions.delay().get()

    assert sent == 1
    assert mail.outbox[0].subject == (
        "Overdue actions for Health Bcc: attacker@example.org: 1 action past due"
    )
    assert mail.outbox[0].bcc == []


def test_return_emails_go_on_one_line_subjects_whatever_the_title_holds(
    practitioner, agency_a, built
):
    from audits.notifications import notify_audit_opened

    built.return_for(agency_a).__class__.objects.update(assignee=practitioner)
    Audit.objects.filter(pk=built.audit.pk).update(title=CRAFTED)

    sent = notify_audit_opened(audit_id=built.audit.pk)

    assert sent == 1
    assert mail.outbox[0].subject == ("Audit open for returns: Deep dive Bcc: attacker@example.org")


def test_the_practitioner_is_told_when_not_every_alert_went(
    client_as, practitioner, business, built, agency_a, mail_server_down, transactional_db
):
    audit_return = built.return_for(agency_a)
    client = client_as(practitioner)

    response = client.post(
        reverse("audits:concern-raise", args=[audit_return.pk]), {"description": DESCRIPTION}
    )

    page = client.get(response["Location"]).content.decode()
    assert "Not every alert could be e-mailed yet" in page
    assert "have been e-mailed" not in page
