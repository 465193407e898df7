"""Every outstanding return reaches someone: its assignee, else its agency's leads, else the
agency's safeguarding lead address, else the business team; each notice counts its own
returns; the business team gets one overdue summary a week. Never a child's details."""

import datetime

import pytest
import time_machine
from django.core import mail

from accounts.models import User
from auditportal.celery import app
from audits.models import NotificationSent, Return
from audits.reminders import send_due_reminders, send_overdue_notices, send_overdue_summary
from tests.factories import AgencyFactory, UserFactory

from .returns_builders import build_open_audit

START = datetime.date(2026, 3, 2)
DUE = datetime.date(2026, 3, 20)
OVERDUE_DAY = DUE + datetime.timedelta(days=1)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 7, 30), tick=False)


def sent_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


@pytest.fixture
def gp(db):
    return AgencyFactory(
        name="Riverbend GP practices", short_name="GP", safeguarding_lead_email="sg@gp.example"
    )


@pytest.fixture
def probation(db):
    return AgencyFactory(name="Riverbend Probation", short_name="PRO", safeguarding_lead_email="")


def audit_of(*agencies, cases=2):
    return build_open_audit(
        agencies=list(agencies),
        cases=cases,
        title="Riverbend neglect deep dive",
        returns_open=START,
        returns_due=DUE,
    )


def test_unassigned_return_of_an_agency_without_a_lead_goes_to_its_safeguarding_address(gp):
    audit_of(gp)

    with at(OVERDUE_DAY):
        sent = send_overdue_notices()

    assert sent == 1
    [message] = sent_to("sg@gp.example")
    assert message.subject == "Returns overdue: Riverbend neglect deep dive"
    assert "2 returns of Riverbend GP practices are overdue" in message.body
    assert "nobody at Riverbend GP practices is assigned them" in message.body
    assert "Riverbend child" not in message.body
    assert "RB-" not in message.body


def test_with_no_lead_and_no_address_the_business_team_hears(probation, business, business2):
    audit_of(probation)
    UserFactory(username="former", role=User.Role.BUSINESS, is_active=False)

    with at(OVERDUE_DAY):
        send_overdue_notices()

    assert sorted(m.to[0] for m in mail.outbox) == sorted([business.email, business2.email])
    body = mail.outbox[0].body
    assert "Riverbend Probation: 2 returns" in body
    assert "no assignee, no agency lead and no safeguarding lead address" in body
    assert "/audits/" in body and "/progress/" in body
    assert "Riverbend child" not in body


def test_reminders_before_the_due_date_follow_the_same_route(gp, probation, business):
    audit_of(gp, probation, cases=1)

    with at(DUE - datetime.timedelta(days=2)):
        send_due_reminders()

    assert sorted(m.to[0] for m in mail.outbox) == sorted(["sg@gp.example", business.email])
    assert "1 return of Riverbend GP practices is due by 20 March 2026" in (
        sent_to("sg@gp.example")[0].body
    )
    assert NotificationSent.objects.filter(key__startswith="reminder:").count() == 2


def test_assigned_returns_never_fall_back(agency_a, practitioner, business):
    built = audit_of(agency_a)
    Return.objects.filter(audit=built.audit).update(assignee=practitioner)

    with at(OVERDUE_DAY):
        send_overdue_notices()

    assert [m.to[0] for m in mail.outbox] == [practitioner.email]


def test_lead_of_an_agency_whose_return_was_reassigned_reads_the_right_counts(
    agency_a, practitioner, agency_lead
):
    built = audit_of(agency_a, cases=3)
    first, second, _third = Return.objects.filter(audit=built.audit).order_by("pk")
    Return.objects.filter(pk=first.pk).update(assignee=agency_lead)
    Return.objects.filter(pk=second.pk).update(assignee=practitioner)

    with at(OVERDUE_DAY):
        send_overdue_notices()

    lead_body = sent_to(agency_lead.email)[0].body
    practitioner_body = sent_to(practitioner.email)[0].body
    assert (
        "3 returns of your agency are overdue: 1 assigned to you, 1 assigned to a colleague "
        "and 1 not assigned to anyone." in lead_body
    )
    assert "1 return assigned to you is overdue." in practitioner_body
    assert "colleague" not in practitioner_body


def test_lead_whose_only_return_went_to_a_colleague(agency_a, practitioner, agency_lead):
    built = audit_of(agency_a, cases=1)
    Return.objects.filter(audit=built.audit).update(assignee=practitioner)

    with at(OVERDUE_DAY):
        send_overdue_notices()

    body = sent_to(agency_lead.email)[0].body
    assert "1 return of your agency is overdue: 1 assigned to a colleague." in body
    assert "0 assigned to you" not in body


def test_weekly_overdue_summary_for_the_business_team(
    gp, probation, agency_a, practitioner, business, business2
):
    built = audit_of(gp, probation, agency_a)
    Return.objects.filter(audit=built.audit, agency=agency_a).update(assignee=practitioner)
    Return.objects.filter(audit=built.audit, agency=gp).update(status=Return.Status.SUBMITTED)
    on_time = build_open_audit(
        agencies=[agency_a],
        title="Riverbend missing from education",
        returns_open=START,
        returns_due=DUE + datetime.timedelta(days=30),
    )

    with at(OVERDUE_DAY):  # a Saturday
        first = send_overdue_summary()
        again = send_overdue_summary()
    with at(OVERDUE_DAY + datetime.timedelta(days=2)):  # Monday: a new week
        next_week = send_overdue_summary()

    assert (first, again, next_week) == (2, 0, 2)
    body = sent_to(business.email)[0].body
    assert sent_to(business.email)[0].subject == "Overdue returns this week: 4 in 1 audit"
    assert "Riverbend neglect deep dive: 4 returns overdue (due 20 March 2026)" in body
    assert "Agency A Children's Social Care: 2 (assigned)" in body
    assert "Riverbend Probation: 2 (reach nobody in the agency: assign them)" in body
    assert "GP" not in body
    assert on_time.audit.title not in body
    assert "/progress/" in body
    assert "Riverbend child" not in body


def test_no_summary_when_nothing_is_overdue(agency_a, business):
    audit_of(agency_a)

    with at(DUE):
        assert send_overdue_summary() == 0

    assert mail.outbox == []


def test_beat_runs_the_summary_weekly():
    entry = app.conf.beat_schedule["audits-overdue-summary"]
    # What a worker does at start: import every app's tasks module (nothing here imports
    # audits.tasks: services enqueue by task name, through the outbox).
    app.loader.import_default_modules()

    assert entry["task"] == "audits.send_overdue_summary"
    assert entry["task"] in app.tasks
    assert entry["schedule"].day_of_week == {1}


def test_every_routed_email_goes_on_a_one_line_subject_whatever_a_stored_title_holds(
    gp, probation, agency_a, practitioner, business
):
    """Titles and names stored before they were validated (single-line since): reminders,
    overdue notices, the agency-address and business-team notices and the weekly summary all
    still go, each subject on one line, with no header smuggled in."""
    built = audit_of(gp, probation, agency_a)
    Return.objects.filter(audit=built.audit, agency=agency_a).update(assignee=practitioner)
    type(built.audit).objects.filter(pk=built.audit.pk).update(
        title="Riverbend\r\nBcc: attacker@example.org"
    )
    type(gp).objects.filter(pk=gp.pk).update(name="Riverbend GP\nBcc: attacker@example.org")

    with at(DUE - datetime.timedelta(days=2)):
        reminders = send_due_reminders()
    with at(OVERDUE_DAY):
        notices = send_overdue_notices()
        summaries = send_overdue_summary()

    assert (reminders, notices, summaries) == (3, 3, 1)
    assert sorted({m.subject for m in mail.outbox}) == [
        "Overdue returns this week: 6 in 1 audit",
        "Returns due 20 Mar 2026: Riverbend Bcc: attacker@example.org",
        "Returns overdue: Riverbend Bcc: attacker@example.org",
    ]
    for message in mail.outbox:
        assert message.bcc == []
        assert "\n" not in message.message()["Subject"]
