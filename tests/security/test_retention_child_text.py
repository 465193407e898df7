"""Retention of what moderation around the child wrote: past the retention period the child
summary PDFs (rows and files), the key events' text, the queries on answers and the meeting's
lived-experience and judgement texts go, with their history; the figures stay equal."""

import datetime
from pathlib import Path

import pytest
import time_machine
from django.core.files.base import ContentFile

from auditportal.models import AuditEvent
from audits.event_bank import load_event_kinds
from audits.models import AnswerQuery, Audit, EventKind, KeyEvent, PurgeRecord, Return
from audits.retention import audit_purge
from findings.case_models import AgreedGrade, CaseJudgement, ChildSummary, DifferenceMade
from findings.results import audit_results
from findings.results.agreed import agreed_theme_results
from tests.security.test_retention import CLOSED, _eager, closed_audit  # noqa: F401

SECRET = "Lives with her nan on Elm Road"


def _moderation_text(audit: Audit) -> dict:
    """Key events, a query, a judgement, an agreed grade and a rendered summary for a child."""
    load_event_kinds()
    submitted = Return.objects.get(audit=audit, status=Return.Status.SUBMITTED)
    draft = Return.objects.get(audit=audit, status=Return.Status.IN_PROGRESS)
    kind = EventKind.objects.order_by("pk").first()
    for audit_return in (submitted, draft):
        KeyEvent.objects.create(
            audit_return=audit_return, when=datetime.date(2024, 5, 1), kind=kind, text=SECRET
        )
    AnswerQuery.objects.create(
        answer=submitted.answers.first(),
        audit_return=submitted,
        question=f"{SECRET}: is Good right?",
        reply=f"Yes, {SECRET}.",
    )
    sample_case = audit.samples.get(case=submitted.case)
    CaseJudgement.objects.create(
        sample_case=sample_case,
        lived_experience=SECRET,
        difference=DifferenceMade.SOME,
        difference_text=f"Because {SECRET}.",
    )
    theme = submitted.answers.first().item.question.theme
    AgreedGrade.objects.create(sample_case=sample_case, theme=theme, grade="good", reason="Agreed")
    summary = ChildSummary.objects.create(sample_case=sample_case, status="ready")
    summary.pdf.save("summary.pdf", ContentFile(b"%PDF-1.7 " + SECRET.encode()))
    return {"summary_path": Path(summary.pdf.path), "theme": theme}


def _figures(audit: Audit) -> tuple:
    results = audit_results(audit=audit)
    return results, agreed_theme_results(audit=audit, themes=results.themes)


def test_past_retention_the_childs_moderation_text_and_summary_pdfs_go(
    closed_audit,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    made = _moderation_text(closed_audit)
    assert made["summary_path"].exists()
    before = _figures(closed_audit)

    with (
        time_machine.travel(CLOSED + datetime.timedelta(days=366)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert _eager() == 1

    assert not ChildSummary.objects.exists()
    assert not made["summary_path"].exists()
    assert not KeyEvent.objects.exclude(text="").exists()
    assert KeyEvent.objects.count() == 1  # the submitted return's event: its date and kind
    assert not KeyEvent.history.model.objects.filter(text=SECRET).exists()
    assert not AnswerQuery.objects.exists()
    assert not AnswerQuery.history.model.objects.exists()
    judgement = CaseJudgement.objects.get()
    assert (judgement.lived_experience, judgement.difference_text) == ("", "")
    assert judgement.difference == DifferenceMade.SOME  # a choice, not text: it stays
    assert not CaseJudgement.history.model.objects.exclude(lived_experience="").exists()
    assert not CaseJudgement.history.model.objects.exclude(difference_text="").exists()
    assert _figures(closed_audit) == before
    what = PurgeRecord.objects.get(audit=closed_audit).what
    assert what["key events' text"] == 2
    assert what["answer queries"] == 1
    assert what["judgement texts"] == 1
    assert what["child summary PDFs"] == 1
    event = AuditEvent.objects.get(code="audit.purged", target_id=str(closed_audit.pk))
    assert event.changes["child summary PDFs"] == 1


def test_a_purge_that_fails_keeps_the_summary_files(
    closed_audit,  # noqa: F811
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    made = _moderation_text(closed_audit)

    def boom(**kwargs):
        raise RuntimeError("the trail row could not be written")

    monkeypatch.setattr("audits.retention.audit_log", boom)
    with (
        time_machine.travel(CLOSED + datetime.timedelta(days=366)),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
    ):
        audit_purge(audit=closed_audit, rule="test")

    assert ChildSummary.objects.count() == 1
    assert made["summary_path"].exists()
    assert CaseJudgement.objects.get().lived_experience == SECRET
