"""Retention of an audit: after an audit has been closed for Partnership.retention_days, its
identifiers and draft data are purged, unless the audit is under legal hold.

What goes: the answers of returns that were never submitted (with their ticks and history
rows), and the record references (with their history rows) of the audit's children that no
other audit still holds unpurged. The cases layer holds the identifiers and deletes them
(cases.retention); a child in an audit and in its re-audit keeps its references until the
re-audit is purged too.
Free text about a child that no figure counts goes too: the key events' text (a draft return's
key events go whole; a submitted return's keep their date and kind), the queries on answers
(with their replies), and, through the `audit_purging` signal that higher layers answer, what
they wrote about the child (findings.retention: the meeting's lived-experience and judgement
texts, the child summary PDFs and their files).
What stays: the pseudonymised cases, submitted answers, grades and ticks, the meeting's
agreed grades and judgement (the choice), findings, actions and briefings, so the audit's
results are unchanged. A PurgeRecord says what went, when and by
which rule; the audit trail gets a row too.
"""

import datetime
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import Signal
from django.utils import timezone

from accounts.models import User
from auditportal.auditlog import audit_log
from cases.models import Case, Partnership
from cases.retention import case_identifiers_purge, retention_cutoff

from .models import Answer, AnswerQuery, AnswerTick, Audit, KeyEvent, PurgeRecord, Return

# Sent inside the purge's transaction with `audit`; a higher layer (findings, briefings) that
# holds text about the audit's children purges its own rows and returns {what: how many} for
# the purge record. An error in a receiver undoes the whole purge.
audit_purging = Signal()


def _key_events_and_queries_purge(audit: Audit) -> dict[str, int]:
    """Key events lose their text (a draft return's go whole); queries go. The history rows
    keep who changed what and when, not the text."""
    events = KeyEvent.objects.filter(audit_return__audit=audit)
    texts = events.exclude(text="").count()
    draft_events = events.filter(audit_return__submitted_at__isnull=True).exclude(
        audit_return__status=Return.Status.SUBMITTED
    )
    draft_ids = list(draft_events.values_list("pk", flat=True))
    draft_events.delete()
    kept_ids = list(events.values_list("pk", flat=True))
    events.update(text="")
    event_history = KeyEvent.history.model  # type: ignore[attr-defined]  # simple-history
    event_history.objects.filter(id__in=draft_ids).delete()
    event_history.objects.filter(id__in=kept_ids).update(text="")

    queries = AnswerQuery.objects.filter(audit_return__audit=audit)
    query_ids = list(queries.values_list("pk", flat=True))
    queries.delete()
    AnswerQuery.history.model.objects.filter(id__in=query_ids).delete()  # type: ignore[attr-defined]
    return {"key events' text": texts, "answer queries": len(query_ids)}


def audits_due_for_purge(*, now: datetime.datetime | None = None) -> QuerySet[Audit]:
    return Audit.objects.filter(
        closed_at__isnull=False,
        closed_at__lte=retention_cutoff(now=now),
        legal_hold=False,
        purged_at__isnull=True,
    ).order_by("closed_at", "pk")


def purge_due_on(audit: Audit, *, retention_days: int | None = None) -> datetime.date | None:
    """The day the audit's data is purged, or None (not closed). A caller with many audits
    passes the partnership's `retention_days`, read once."""
    if audit.closed_at is None:
        return None
    days = Partnership.load().retention_days if retention_days is None else retention_days
    return timezone.localdate(audit.closed_at + datetime.timedelta(days=days))


@transaction.atomic
def audit_purge(*, audit: Audit, rule: str, actor: User | None = None) -> PurgeRecord:
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.legal_hold:
        raise ValidationError("This audit is under legal hold: its data cannot be purged.")
    if audit.purged_at is not None:
        raise ValidationError("This audit's data has already been purged.")
    if audit.closed_at is None:
        raise ValidationError("Only a closed audit's data can be purged.")

    now = timezone.now()
    audit.purged_at = now
    audit.save(update_fields=["purged_at"])
    # A child's record references are held once for every audit of the child: they go when
    # the last audit holding the child is purged (this one, now marked purged).
    references_purged = case_identifiers_purge(
        cases=Case.objects.filter(audits=audit).exclude(audits__purged_at__isnull=True)
    )

    draft_answers = Answer.objects.filter(
        audit_return__audit=audit, audit_return__submitted_at__isnull=True
    ).exclude(audit_return__status=Return.Status.SUBMITTED)
    answer_ids = list(draft_answers.values_list("pk", flat=True))
    ticks = AnswerTick.objects.filter(answer_id__in=answer_ids).count()
    draft_answers.delete()
    # Delete after the answers: deleting writes a last history row holding the draft text.
    history = Answer.history.model  # type: ignore[attr-defined]  # simple-history, no stubs
    history.objects.filter(id__in=answer_ids).delete()

    what: dict[str, int] = {
        "record references": references_purged,
        "draft answers": len(answer_ids),
        "draft checklist ticks": ticks,
        **_key_events_and_queries_purge(audit),
    }
    for _receiver, purged in audit_purging.send(sender=Audit, audit=audit):
        what.update(cast(dict[str, int], purged or {}))
    record = PurgeRecord.objects.create(
        audit=audit, audit_title=audit.title[:200], rule=rule[:200], what=what
    )
    audit_log(actor=actor, code="audit.purged", target=audit, changes=what)
    return record


def purge_expired(*, now: datetime.datetime | None = None) -> list[PurgeRecord]:
    """Purge every audit past retention (one transaction each). Run daily by celery beat."""
    days = Partnership.load().retention_days
    rule = f"Retention: {days} days after the audit closed"
    records = []
    for audit in audits_due_for_purge(now=now):
        records.append(audit_purge(audit=audit, rule=rule))
    return records


@transaction.atomic
def audit_set_legal_hold(*, audit: Audit, hold: bool, actor: User) -> Audit:
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.purged_at is not None and hold:
        raise ValidationError("This audit's data has already been purged.")
    if audit.legal_hold == hold:
        return audit
    audit.legal_hold = hold
    audit.save(update_fields=["legal_hold"])
    audit_log(
        actor=actor,
        code="audit.legal_hold_placed" if hold else "audit.legal_hold_lifted",
        target=audit,
        changes={"legal_hold": [not hold, hold]},
    )
    return audit
