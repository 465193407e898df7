import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from auditportal.models import AuditEvent
from audits.models import NotificationSent
from findings import services
from findings.models import Action
from findings.tasks import email_overdue_actions
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AuditFactory,
    FindingFactory,
    MembershipFactory,
    SubGroupFactory,
    UserFactory,
)


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


# ---------------------------------------------------------------------------------------------
# Services


def test_action_create_with_an_agency_owner_and_findings(business, agency_a):
    audit = AuditFactory()
    finding = FindingFactory(audit=audit)

    action = services.action_create(
        audit=audit,
        text="Train GP leads",
        owner_agency=agency_a,
        due_date=_days(30),
        findings=[finding],
        actor=business,
    )

    assert action.owner == agency_a
    assert action.status == Action.Status.OPEN
    assert list(action.findings.all()) == [finding]
    assert AuditEvent.objects.filter(code="action.created").count() == 1


def test_action_create_due_today_is_allowed(business, agency_a):
    action = services.action_create(
        audit=AuditFactory(), text="Today", owner_agency=agency_a, due_date=_days(0), actor=business
    )

    assert action.due_date == timezone.localdate()


def test_action_create_due_in_the_past_is_refused(business, agency_a):
    with pytest.raises(ValidationError) as error:
        services.action_create(
            audit=AuditFactory(),
            text="Late already",
            owner_agency=agency_a,
            due_date=_days(-1),
            actor=business,
        )

    assert "in the past" in error.value.message_dict["due_date"][0]
    assert Action.objects.count() == 0


@pytest.mark.parametrize("owners", ["none", "both"])
def test_action_needs_exactly_one_owner(business, agency_a, owners):
    subgroup = SubGroupFactory()
    kwargs = {} if owners == "none" else {"owner_agency": agency_a, "owner_subgroup": subgroup}

    with pytest.raises(ValidationError) as error:
        services.action_create(
            audit=AuditFactory(), text="x", due_date=_days(3), actor=business, **kwargs
        )

    assert "owner" in error.value.message_dict
    assert Action.objects.count() == 0


def test_database_refuses_two_owners(agency_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(owner_agency=agency_a, owner_subgroup=SubGroupFactory())


def test_action_create_refuses_a_retired_subgroup(business):
    subgroup = SubGroupFactory(active=False)

    with pytest.raises(ValidationError):
        services.action_create(
            audit=AuditFactory(),
            text="x",
            owner_subgroup=subgroup,
            due_date=_days(3),
            actor=business,
        )


def test_action_create_refuses_findings_of_another_audit(business, agency_a):
    with pytest.raises(ValidationError) as error:
        services.action_create(
            audit=AuditFactory(),
            text="x",
            owner_agency=agency_a,
            due_date=_days(3),
            findings=[FindingFactory()],
            actor=business,
        )

    assert "findings" in error.value.message_dict


def test_action_update_keeps_a_past_due_date_but_refuses_a_new_past_one(business, agency_a):
    action = ActionFactory(owner_agency=agency_a, due_date=_days(-5))

    services.action_update(
        action=action, text="Edited", owner_agency=agency_a, due_date=_days(-5), actor=business
    )
    with pytest.raises(ValidationError):
        services.action_update(
            action=action, text="Edited", owner_agency=agency_a, due_date=_days(-6), actor=business
        )

    action.refresh_from_db()
    assert (action.text, action.due_date) == ("Edited", _days(-5))


def test_action_update_can_move_owner_to_a_subgroup(business, agency_a):
    action = ActionFactory(owner_agency=agency_a)
    subgroup = SubGroupFactory()

    services.action_update(
        action=action, text=action.text, owner_subgroup=subgroup, due_date=_days(9), actor=business
    )

    action.refresh_from_db()
    assert (action.owner_agency, action.owner_subgroup) == (None, subgroup)


def test_marking_done_needs_completion_evidence(business):
    action = ActionFactory()

    with pytest.raises(ValidationError) as error:
        services.action_set_status(action=action, status="done", actor=business)

    assert "completion_evidence" in error.value.message_dict
    action.refresh_from_db()
    assert action.status == "open"


def test_marking_done_records_when_and_reopening_clears_it(business):
    action = ActionFactory()

    services.action_set_status(
        action=action,
        status="done",
        completion_evidence="Audit re-run shows change",
        actor=business,
    )
    action.refresh_from_db()
    assert action.status == "done" and action.completed_at is not None

    services.action_set_status(action=action, status="in_progress", actor=business)
    action.refresh_from_db()
    assert (action.status, action.completed_at) == ("in_progress", None)
    assert AuditEvent.objects.filter(code="action.status_changed").count() == 2


# ---------------------------------------------------------------------------------------------
# Views


def test_action_create_view(client_as, business, agency_a):
    audit = AuditFactory()
    finding = FindingFactory(audit=audit)

    response = client_as(business).post(
        reverse("findings:action-create", args=[audit.pk]),
        {
            "text": "Share the chronology template",
            "section": "next_step",
            "owner": f"agency-{agency_a.pk}",
            "due_date": _days(14).isoformat(),
            "findings": [finding.pk],
        },
    )

    action = Action.objects.get()
    assert response.status_code == 302
    assert (action.section, action.owner_agency, action.due_date) == (
        "next_step",
        agency_a,
        _days(14),
    )
    assert list(action.findings.all()) == [finding]


def test_action_create_view_past_due_date_shows_error(client_as, business, agency_a):
    audit = AuditFactory()

    response = client_as(business).post(
        reverse("findings:action-create", args=[audit.pk]),
        {
            "text": "Too late",
            "section": "will_do",
            "owner": f"agency-{agency_a.pk}",
            "due_date": _days(-3).isoformat(),
        },
    )

    assert response.status_code == 200
    assert "The due date is in the past" in response.content.decode()
    assert Action.objects.count() == 0


def test_action_create_view_without_owner_shows_error(client_as, business):
    audit = AuditFactory()

    response = client_as(business).post(
        reverse("findings:action-create", args=[audit.pk]),
        {"text": "No owner", "section": "will_do", "owner": "", "due_date": _days(3).isoformat()},
    )

    assert response.status_code == 200
    assert "Choose one owner" in response.content.decode()
    assert Action.objects.count() == 0


def test_action_status_done_without_evidence_shows_error(client_as, business):
    action = ActionFactory()

    response = client_as(business).post(
        reverse("findings:action-detail", args=[action.pk]), {"status": "done"}
    )

    assert response.status_code == 200
    assert "before marking it done" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "open"


def test_agency_lead_may_update_status_of_their_agencys_action(client_as, agency_lead, agency_a):
    action = ActionFactory(owner_agency=agency_a)

    response = client_as(agency_lead).post(
        reverse("findings:action-detail", args=[action.pk]),
        {"status": "in_progress", "completion_evidence": ""},
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_practitioner_sees_action_read_only(client_as, practitioner, agency_a):
    action = ActionFactory(owner_agency=agency_a)

    response = client_as(practitioner).get(reverse("findings:action-detail", args=[action.pk]))

    assert response.status_code == 200
    assert "Save status" not in response.content.decode()


def test_findings_page_lists_actions_by_section(client_as, business):
    audit = AuditFactory()
    ActionFactory(audit=audit, text="Run a training day", section="will_do")
    ActionFactory(audit=audit, text="Publish the briefing", section="next_step")

    content = client_as(business).get(reverse("findings:finding-list", args=[audit.pk]))
    content = content.content.decode()

    assert content.index("What we will do with the findings") < content.index("Run a training day")
    assert content.index("Next steps") < content.index("Publish the briefing")


# ---------------------------------------------------------------------------------------------
# Weekly overdue email

MONDAY = datetime.datetime(2026, 3, 9, 7, 0, tzinfo=datetime.UTC)


def test_overdue_actions_emailed_once_per_owner_per_week(db):
    agency = AgencyFactory(name="Riverbend CAMHS", safeguarding_lead_email="sg@camhs.example")
    lead = UserFactory(email="lead@camhs.example")
    MembershipFactory(user=lead, agency=agency, is_lead=True)
    MembershipFactory(user=UserFactory(email="staff@camhs.example"), agency=agency)
    subgroup = SubGroupFactory(name="Health Sub-group", lead_email="chair@health.example")
    audit = AuditFactory(title="Deep dive: waiting well")
    with time_machine.travel(MONDAY - datetime.timedelta(days=30), tick=False):
        ActionFactory(
            audit=audit,
            owner_agency=agency,
            text="Call those waiting",
            due_date=datetime.date(2026, 3, 1),
        )
        ActionFactory(
            audit=audit,
            owner_agency=agency,
            text="Write a leaflet",
            due_date=datetime.date(2026, 3, 5),
        )
        ActionFactory(
            audit=audit,
            owner_agency=None,
            owner_subgroup=subgroup,
            text="Review pathway",
            due_date=datetime.date(2026, 3, 2),
        )
        ActionFactory(
            audit=audit, owner_agency=agency, text="Not yet due", due_date=datetime.date(2026, 4, 1)
        )
        ActionFactory(
            audit=audit,
            owner_agency=agency,
            text="Already done",
            due_date=datetime.date(2026, 3, 1),
            status="done",
            completion_evidence="Done",
        )

    with time_machine.travel(MONDAY, tick=False):
        sent = email_overdue_actions.delay().get()
        again = email_overdue_actions.delay().get()

    assert (sent, again) == (2, 0)
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    assert set(by_recipient) == {("lead@camhs.example",), ("chair@health.example",)}
    agency_mail = by_recipient[("lead@camhs.example",)]
    assert "Call those waiting" in agency_mail.body
    assert "Write a leaflet" in agency_mail.body
    assert "Deep dive: waiting well" in agency_mail.body
    assert "1 March 2026" in agency_mail.body
    assert "/findings/actions/" in agency_mail.body
    assert "Not yet due" not in agency_mail.body
    assert "Already done" not in agency_mail.body
    assert "Review pathway" not in agency_mail.body
    assert agency_mail.subject == "Overdue actions for Riverbend CAMHS: 2 actions past due"
    assert NotificationSent.objects.filter(
        key=f"overdue-actions:agency-{agency.pk}:2026-W11"
    ).exists()


def test_overdue_email_goes_again_the_next_week(db):
    subgroup = SubGroupFactory(lead_email="chair@example.org")
    with time_machine.travel(MONDAY - datetime.timedelta(days=30), tick=False):
        ActionFactory(
            owner_agency=None, owner_subgroup=subgroup, due_date=datetime.date(2026, 3, 1)
        )

    with time_machine.travel(MONDAY, tick=False):
        email_overdue_actions.delay()
    with time_machine.travel(MONDAY + datetime.timedelta(days=7), tick=False):
        email_overdue_actions.delay()

    assert len(mail.outbox) == 2


def test_overdue_email_falls_back_to_safeguarding_lead(db):
    agency = AgencyFactory(safeguarding_lead_email="safeguarding@police.example")
    with time_machine.travel(MONDAY - datetime.timedelta(days=30), tick=False):
        ActionFactory(owner_agency=agency, due_date=datetime.date(2026, 3, 1))

    with time_machine.travel(MONDAY, tick=False):
        email_overdue_actions.delay()

    assert [m.to for m in mail.outbox] == [["safeguarding@police.example"]]


def test_overdue_email_skips_owner_without_lead(db):
    subgroup = SubGroupFactory(lead_email="")
    with time_machine.travel(MONDAY - datetime.timedelta(days=30), tick=False):
        ActionFactory(
            owner_agency=None, owner_subgroup=subgroup, due_date=datetime.date(2026, 3, 1)
        )

    with time_machine.travel(MONDAY, tick=False):
        sent = services.overdue_actions_notify()

    assert sent == 0
    assert mail.outbox == []
    assert NotificationSent.objects.count() == 0


def test_overdue_email_is_in_the_beat_schedule():
    from auditportal.celery import app

    entries = [e["task"] for e in app.conf.beat_schedule.values()]

    assert "findings.email_overdue_actions" in entries
