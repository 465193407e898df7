import datetime

import pytest
import time_machine
from django.utils import timezone

from auditportal.models import AuditEvent
from audits.bank import RISK_FACTORS
from audits.models import (
    Answer,
    AnswerTick,
    Audit,
    AuditTransition,
    Question,
    QuestionSet,
    Return,
    Theme,
)
from cases.models import Case, CaseAgency, RecordReference
from demo import agencies as cases_demo
from demo import audits as demo
from demo import users as accounts_demo


def _counts() -> dict[str, int]:
    models = [
        Theme,
        Question,
        Audit,
        AuditTransition,
        Case,
        CaseAgency,
        RecordReference,
        Return,
        Answer,
        AnswerTick,
    ]
    return {model.__name__: model.objects.count() for model in models}


def _load() -> dict:
    agencies = cases_demo.load()
    users = accounts_demo.load(agencies)
    return demo.load(agencies, users)


def test_audits_demo_loaded_twice_changes_nothing(db):
    _load()
    before = _counts()
    answers = list(Answer.objects.order_by("pk").values_list("choice", "evidence", "number"))

    result = _load()

    assert _counts() == before
    assert list(Answer.objects.order_by("pk").values_list("choice", "evidence", "number")) == (
        answers
    )
    assert set(result["audits"]) == {"published", "open", "overdue", "planned"}


def test_audits_demo_has_the_promised_shape(db):
    _load()

    published = Audit.objects.get(title=demo.PUBLISHED)
    open_audit = Audit.objects.get(title=demo.OPEN)
    overdue = Audit.objects.get(title=demo.OVERDUE)
    planned = Audit.objects.get(title=demo.PLANNED)

    assert published.status == Audit.Status.PUBLISHED
    assert published.cases.count() == 4
    assert {Return.Status.SUBMITTED} == set(published.returns.values_list("status", flat=True))
    items = published.question_set.items.count()
    for audit_return in published.returns.all():
        assert audit_return.answers.count() == items
    assert AnswerTick.objects.filter(
        answer__audit_return__audit=published, option__in=RISK_FACTORS
    ).exists()
    assert open_audit.status == Audit.Status.OPEN
    assert open_audit.cases.count() == 5
    assert set(open_audit.returns.values_list("status", flat=True)) == set(Return.Status.values)
    assert open_audit.returns.filter(assignee__username="practitioner").count() >= 4
    assert open_audit.returns.filter(assignee__username="police").exists()
    assert open_audit.returns_due > open_audit.returns_open
    assert open_audit.question_set.is_frozen
    assert overdue.status == Audit.Status.OPEN
    assert overdue.returns.exclude(status=Return.Status.SUBMITTED).exists()
    assert planned.status == Audit.Status.PLANNED
    assert planned.cases.count() == 2
    assert not planned.returns.exists()
    assert not planned.question_set.is_frozen


CLOSED_DAYS = {(12, 25), (12, 26), (1, 1)}


@pytest.mark.parametrize(
    "today",
    [datetime.date(2026, 12, 1), datetime.date(2026, 12, 17), datetime.date(2027, 3, 6)],
)
def test_demo_meetings_and_deadlines_fall_on_working_days(db, today):
    with time_machine.travel(datetime.datetime(today.year, today.month, today.day, 9), tick=False):
        audits = _load()["audits"]

    for key, audit in audits.items():
        for field in ("returns_open", "returns_due", "moderation_date", "briefing_due"):
            day = getattr(audit, field)
            if day is None:
                continue
            assert day.weekday() < 5, (key, field, day)
            assert (day.month, day.day) not in CLOSED_DAYS, (key, field, day)
        audit.refresh_from_db()
        assert audit.returns_open <= audit.returns_due


def test_demo_audits_were_scheduled_before_they_opened(db):
    audits = _load()["audits"]

    for key, audit in audits.items():
        audit.refresh_from_db()
        if audit.opened_at is not None:
            assert audit.created_at < audit.opened_at, key
        assert timezone.localdate(audit.created_at) <= audit.returns_open, key


def test_demo_question_sets_are_made_and_versioned_by_the_services(db):
    _load()

    v1 = QuestionSet.objects.get(name=demo.QUESTION_SET, version=1)
    v2 = QuestionSet.objects.get(name=demo.QUESTION_SET, version=2)
    made = AuditEvent.objects.filter(
        code__in=["questionset.created", "questionset.versioned"], actor__username="business"
    ).order_by("pk")

    assert [(event.code, event.target_id) for event in made] == [
        ("questionset.created", str(v1.pk)),
        ("questionset.versioned", str(v2.pk)),
    ]
    assert v1.is_frozen and not v2.is_frozen
    assert v2.based_on == v1
    assert list(v2.items.values_list("text", flat=True)) == list(
        v1.items.values_list("text", flat=True)
    )
