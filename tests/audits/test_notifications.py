"""Notification e-mails: once per event, with time travel; never a child's details."""

import datetime

import pytest
import time_machine
from django.core import mail

from auditportal.celery import app
from audits.models import Audit, NotificationSent, Return
from audits.notifications import notify_audit_opened
from audits.reminders import send_due_reminders, send_overdue_notices
from audits.tasks import send_return_reminders
from cases.models import Partnership
from tests.factories import AgencyFactory, UserFactory

from .returns_builders import build_open_audit

START = datetime.date(2026, 3, 2)
DUE = datetime.date(2026, 3, 20)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 7, 30), tick=False)


@pytest.fixture
def built(practitioner, agency_lead, agency_a):
    built = build_open_audit(
        agencies=[agency_a],
        cases=2,
        title="Riverbend neglect deep dive",
        returns_open=START,
        returns_due=DUE,
    )
    Return.objects.filter(audit=built.audit).update(assignee=practitioner)
    return built


def recipients():
    return sorted(m.to[0] for m in mail.outbox)


def test_audit_opened_email_once_per_assignee(built, practitioner, agency_lead):
    notify_audit_opened(audit_id=built.audit.pk)
    notify_audit_opened(audit_id=built.audit.pk)

    assert recipients() == sorted([practitioner.email, agency_lead.email])
    body = next(m.body for m in mail.outbox if m.to == [practitioner.email])
    assert "Riverbend neglect deep dive" in body
    assert "2 returns for your agency are assigned to you" in body
    assert "20 March 2026" in body
    assert "http://" in body and "/audits/my-returns/" in body
    assert "Riverbend child" not in body


def test_audit_opened_tells_every_practitioner_of_each_involved_agency_once(
    agency_a, agency_b, practitioner, other_practitioner
):
    colleague = UserFactory(username="colleague", agencies=[agency_a])
    both = UserFactory(username="both", agencies=[agency_a, agency_b])
    UserFactory(username="left", agencies=[agency_a], is_active=False)
    UserFactory(username="elsewhere", agencies=[AgencyFactory(name="Riverbend Housing")])
    built = build_open_audit(agencies=[agency_a, agency_b], cases=2)
    Return.objects.filter(audit=built.audit, agency=agency_a).update(assignee=practitioner)

    sent = notify_audit_opened(audit_id=built.audit.pk)

    assert sent == 4
    assert recipients() == sorted(
        u.email for u in [practitioner, colleague, both, other_practitioner]
    )
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert (
        "Your agency, Agency A Children's Social Care, has 2 returns in it. 2 returns for your "
        "agency are assigned to you." in " ".join(by_address[practitioner.email].split())
    )
    assert "None is assigned to you yet" in by_address[colleague.email]
    assert (
        "Your agencies, Agency A Children's Social Care and Agency B Police, have 4 returns in it."
        in " ".join(by_address[both.email].split())
    )
    assert NotificationSent.objects.filter(key__startswith=f"opened:{built.audit.pk}:").count() == 4


def test_reminder_sent_once_in_the_window_to_assignee_and_lead(built, practitioner, agency_lead):
    Partnership.objects.update(reminder_days_before_due=3)

    with at(DUE - datetime.timedelta(days=4)):
        send_return_reminders.delay()
    assert mail.outbox == []

    with at(DUE - datetime.timedelta(days=3)):
        send_return_reminders.delay()
        send_return_reminders.delay()
    with at(DUE - datetime.timedelta(days=1)):
        send_return_reminders.delay()

    assert recipients() == sorted([practitioner.email, agency_lead.email])
    for message in mail.outbox:
        assert "Riverbend neglect deep dive" in message.subject
        assert "20 March 2026" in message.body
        assert "Riverbend child" not in message.body
        assert "RB-" not in message.body
    assert NotificationSent.objects.filter(key__startswith="reminder:").count() == 2


def test_a_new_due_date_earns_a_new_reminder(built):
    with at(DUE - datetime.timedelta(days=2)):
        send_due_reminders()
    Audit.objects.filter(pk=built.audit.pk).update(returns_due=DUE + datetime.timedelta(days=7))
    with at(DUE + datetime.timedelta(days=5)):
        sent = send_due_reminders()

    assert sent == 2
    assert len(mail.outbox) == 4


def test_overdue_notice_daily_once_per_day(built, practitioner, agency_lead):
    with at(DUE + datetime.timedelta(days=1)):
        assert send_overdue_notices() == 2
        assert send_overdue_notices() == 0
    with at(DUE + datetime.timedelta(days=2)):
        assert send_overdue_notices() == 2

    assert len(mail.outbox) == 4
    assert "overdue" in mail.outbox[0].body
    assert "2 returns assigned to you are overdue." in mail.outbox[0].body
    assert "2 returns of your agency are overdue: 2 assigned to colleagues." in mail.outbox[1].body


def test_submitted_returns_and_closed_audits_get_no_reminders(built):
    Return.objects.filter(audit=built.audit).update(status=Return.Status.SUBMITTED)
    other = build_open_audit(
        agencies=[], status=Audit.Status.MODERATION, returns_open=START, returns_due=DUE
    )

    with at(DUE + datetime.timedelta(days=1)):
        sent = send_due_reminders() + send_overdue_notices()

    assert sent == 0
    assert other.audit.returns.count() == 0


def test_lead_hears_about_unassigned_returns(built, agency_lead):
    Return.objects.filter(audit=built.audit).update(assignee=None)

    with at(DUE + datetime.timedelta(days=1)):
        send_overdue_notices()

    assert recipients() == [agency_lead.email]
    assert "2 returns of your agency are overdue: 2 not assigned to anyone." in mail.outbox[0].body


def test_failed_send_is_not_recorded_so_a_retry_sends(
    built, practitioner, agency_lead, monkeypatch
):
    from audits import notifications

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(notifications, "send_mail", broken)
    with pytest.raises(OSError):
        notify_audit_opened(audit_id=built.audit.pk)
    monkeypatch.undo()

    notify_audit_opened(audit_id=built.audit.pk)

    assert recipients() == sorted([practitioner.email, agency_lead.email])


def test_beat_schedule_runs_reminders_daily():
    entry = app.conf.beat_schedule["audits-return-reminders"]

    assert entry["task"] == "audits.send_return_reminders"
    assert entry["task"] in app.tasks
