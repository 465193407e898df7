"""Retention purge: past the retention period record references and draft answers go,
results stay, a purge record is written; legal hold and open audits are left alone."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from auditportal.celery import app as celery_app
from auditportal.models import AuditEvent
from audits.models import Answer, AnswerTick, Audit, PurgeRecord, Question, Return
from audits.retention import audit_purge, audits_due_for_purge
from cases.models import Case, Partnership, RecordReference
from findings.results import audit_results
from tests.factories import (
    AnswerFactory,
    AuditFactory,
    CaseAgencyFactory,
    QuestionFactory,
    QuestionSetFactory,
    QuestionSetItemFactory,
    RecordReferenceFactory,
    ReturnFactory,
    SampleCaseFactory,
)

CLOSED = datetime.datetime(2025, 1, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def closed_audit(agency_a, agency_b):
    """A closed audit: two cases, a submitted return and a draft return, references."""
    question_set = QuestionSetFactory()
    grade = QuestionSetItemFactory(question_set=question_set)
    checklist = QuestionSetItemFactory(
        question_set=question_set,
        question=QuestionFactory(
            kind=Question.Kind.CHECKLIST, options=["Neglect", "Domestic abuse"]
        ),
    )
    audit = AuditFactory(
        question_set=question_set,
        status=Audit.Status.CLOSED,
        returns_open=datetime.date(2024, 9, 1),
        returns_due=datetime.date(2024, 9, 30),
        closed_at=CLOSED,
    )
    submitted_involvement = CaseAgencyFactory(case__audit=audit, agency=agency_a)
    draft_involvement = CaseAgencyFactory(case__audit=audit, agency=agency_b)
    RecordReferenceFactory(involvement=submitted_involvement, reference="CSC-77001")
    RecordReferenceFactory(involvement=draft_involvement, reference="POL-77002")
    submitted = ReturnFactory(
        case=submitted_involvement.case,
        agency=agency_a,
        status=Return.Status.SUBMITTED,
        submitted_at=CLOSED - datetime.timedelta(days=120),
    )
    draft = ReturnFactory(
        case=draft_involvement.case, agency=agency_b, status=Return.Status.IN_PROGRESS
    )
    AnswerFactory(audit_return=submitted, item=grade, choice="good", evidence="Seen weekly.")
    ticked = AnswerFactory(audit_return=submitted, item=checklist, choice="")
    AnswerTick.objects.create(answer=ticked, option="Neglect")
    AnswerFactory(audit_return=draft, item=grade, choice="inadequate", evidence="Half-written")
    return audit


def _eager():
    from audits.tasks import purge_expired_task

    return purge_expired_task.delay().get()


def test_past_retention_references_and_drafts_go_and_results_stay(closed_audit):
    before = audit_results(audit=closed_audit)
    cases_before = Case.objects.filter(audits=closed_audit).count()

    with time_machine.travel(CLOSED + datetime.timedelta(days=366)):
        purged = _eager()

    closed_audit.refresh_from_db()
    assert purged == 1
    assert not RecordReference.objects.filter(involvement__case__audits=closed_audit).exists()
    assert not RecordReference.history.model.objects.exists()
    assert list(Answer.objects.values_list("evidence", flat=True)) == ["Seen weekly.", ""]
    assert not Answer.history.model.objects.filter(evidence="Half-written").exists()
    assert AnswerTick.objects.count() == 1
    assert Case.objects.filter(audits=closed_audit).count() == cases_before
    assert audit_results(audit=closed_audit) == before
    assert closed_audit.purged_at is not None
    record = PurgeRecord.objects.get(audit=closed_audit)
    assert record.what == {
        "record references": 2,
        "draft answers": 1,
        "draft checklist ticks": 0,
        "key events' text": 0,
        "answer queries": 0,
        "judgement texts": 0,
        "child summary PDFs": 0,
    }
    assert record.rule == "Retention: 365 days after the audit closed"
    assert AuditEvent.objects.filter(code="audit.purged", target_id=str(closed_audit.pk)).exists()


def _re_audit(closed_audit, *, closed_at):
    """A re-audit of the closed audit's children (the same cases, so the same references)."""
    re_audit = AuditFactory(
        status=Audit.Status.CLOSED,
        returns_open=datetime.date(2025, 3, 1),
        returns_due=datetime.date(2025, 3, 31),
        closed_at=closed_at,
    )
    for case in closed_audit.cases.all():
        SampleCaseFactory(audit=re_audit, case=case).involvements.set(case.involvements.all())
    return re_audit


def test_a_child_in_a_re_audit_keeps_its_references_until_the_re_audit_is_purged(
    closed_audit,
):
    re_audit = _re_audit(closed_audit, closed_at=CLOSED + datetime.timedelta(days=200))

    with time_machine.travel(CLOSED + datetime.timedelta(days=366)):
        assert _eager() == 1  # the first audit only: the re-audit closed 200 days later

    assert RecordReference.objects.count() == 2
    assert PurgeRecord.objects.get(audit=closed_audit).what["record references"] == 0
    assert Answer.objects.filter(evidence="Half-written").count() == 0  # its drafts went

    with time_machine.travel(CLOSED + datetime.timedelta(days=200 + 366)):
        assert _eager() == 1  # the re-audit: the last audit holding the children

    assert RecordReference.objects.count() == 0
    assert not RecordReference.history.model.objects.exists()
    assert PurgeRecord.objects.get(audit=re_audit).what["record references"] == 2
    assert Case.objects.filter(audits=re_audit).count() == 2  # pseudonymised cases stay


def test_a_re_audit_under_legal_hold_keeps_the_childrens_references(closed_audit):
    re_audit = _re_audit(closed_audit, closed_at=CLOSED)
    re_audit.legal_hold = True
    re_audit.save()

    with time_machine.travel(CLOSED + datetime.timedelta(days=800)):
        assert _eager() == 1  # the first audit; the re-audit is held

    assert RecordReference.objects.count() == 2


def test_before_retention_ends_nothing_is_purged(closed_audit):
    with time_machine.travel(CLOSED + datetime.timedelta(days=364)):
        assert _eager() == 0

    assert RecordReference.objects.count() == 2
    assert not PurgeRecord.objects.exists()


def test_retention_period_is_the_partnership_setting(closed_audit):
    partnership = Partnership.load()
    partnership.retention_days = 30
    partnership.save()

    with time_machine.travel(CLOSED + datetime.timedelta(days=31)):
        assert _eager() == 1


def test_legal_hold_suspends_the_purge(closed_audit):
    closed_audit.legal_hold = True
    closed_audit.save()

    with time_machine.travel(CLOSED + datetime.timedelta(days=800)):
        assert _eager() == 0
        with pytest.raises(Exception, match="legal hold"):
            audit_purge(audit=closed_audit, rule="manual")

    assert RecordReference.objects.count() == 2
    assert Answer.objects.count() == 3


def test_an_audit_that_is_not_closed_is_untouched(agency_a):
    open_audit = AuditFactory(status=Audit.Status.OPEN)
    RecordReferenceFactory(involvement__case__audit=open_audit, involvement__agency=agency_a)

    with time_machine.travel(
        datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=4000)
    ):
        assert _eager() == 0
        assert not audits_due_for_purge().exists()

    assert RecordReference.objects.count() == 1


def test_purge_runs_once(closed_audit):
    with time_machine.travel(CLOSED + datetime.timedelta(days=366)):
        assert _eager() == 1
        assert _eager() == 0

    assert PurgeRecord.objects.count() == 1


def test_daily_beat_schedule_runs_the_purge():
    schedule = celery_app.conf.beat_schedule

    assert any(entry["task"] == "audits.purge_expired" for entry in schedule.values())


def test_business_team_places_and_lifts_a_legal_hold(client, business, closed_audit):
    client.force_login(business)
    url = reverse("trail:legal-hold", args=[closed_audit.pk])

    page = client.get(reverse("trail:retention"))
    placed = client.post(url, {"hold": "on"}, follow=True)
    closed_audit.refresh_from_db()
    assert closed_audit.legal_hold
    lifted = client.post(url, {}, follow=True)
    closed_audit.refresh_from_db()

    assert closed_audit.title in page.content.decode()
    assert "Legal hold placed on" in placed.content.decode()
    assert "Legal hold lifted from" in lifted.content.decode()
    assert not closed_audit.legal_hold
    assert AuditEvent.objects.filter(code="audit.legal_hold_placed").count() == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [("practitioner", 403), ("other_practitioner", 403), ("board", 403), ("anonymous", 302)],
)
def test_others_cannot_change_a_legal_hold(client_as, users, closed_audit, role, status):
    response = client_as(users[role]).post(
        reverse("trail:legal-hold", args=[closed_audit.pk]), {"hold": "on"}
    )

    closed_audit.refresh_from_db()
    assert response.status_code == status
    assert not closed_audit.legal_hold


def test_legal_hold_on_an_unknown_audit_is_404(client, business, db):
    client.force_login(business)

    assert (
        client.post(reverse("trail:legal-hold", args=[999999]), {"hold": "on"}).status_code == 404
    )


def test_purge_records_are_shown_on_the_retention_page(client, business, closed_audit):
    with time_machine.travel(CLOSED + datetime.timedelta(days=366)):
        _eager()
    client.force_login(business)

    html = client.get(reverse("trail:retention")).content.decode()

    assert "2 record references" in html
    assert "Purged" in html


def test_purged_references_say_when_they_were_purged(client_as, business, closed_audit):
    with time_machine.travel(datetime.datetime(2026, 1, 12, 2, 30, tzinfo=datetime.UTC)):
        _eager()
    audit_return = Return.objects.get(audit=closed_audit, status=Return.Status.SUBMITTED)
    client = client_as(business)

    detail = client.get(reverse("audits:audit-detail", args=[closed_audit.pk])).content.decode()
    return_page = client.get(reverse("audits:return-detail", args=[audit_return.pk]))

    assert "no reference yet" not in detail
    assert detail.count("purged on 12 Jan 2026") == 2
    assert "record reference</dt><dd>Purged on 12 Jan 2026" in return_page.content.decode()


@pytest.mark.parametrize("closed", [1, 3])
def test_retention_page_query_count_does_not_grow_with_closed_audits(
    client, business, closed, django_assert_num_queries
):
    for n in range(closed):
        AuditFactory(
            title=f"Closed audit {n}",
            status=Audit.Status.CLOSED,
            closed_at=CLOSED + datetime.timedelta(days=n),
        )
    Partnership.load()
    client.force_login(business)

    # session, user, two-factor device, the closed audits, the partnership's retention days,
    # purge records
    with django_assert_num_queries(6):
        response = client.get(reverse("trail:retention"))

    assert response.status_code == 200
    assert response.content.decode().count('<th scope="row">Closed audit') == closed
