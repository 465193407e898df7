"""The trail reads as words a data protection officer understands: a status change is
"Status: Findings agreed → Published", not "status: ['findings_agreed', 'published']", and a
field's history shows its choices' labels, not their stored codes."""

import pytest

from auditportal.auditlog import audit_log
from auditportal.trail import describe_rows, trail_rows
from audits.models import Audit
from tests.factories import AuditFactory

pytestmark = pytest.mark.django_db


def details_of(code: str) -> list[str]:
    rows = describe_rows(trail_rows(event=code)[:5])
    return next(r.details for r in rows if r.code == code)


def test_a_status_change_reads_as_the_statuses_names(business):
    audit = AuditFactory()

    audit_log(
        actor=business,
        code="audit.status_changed",
        target=audit,
        changes={"status": ["findings_agreed", "published"], "note": ""},
    )

    assert details_of("audit.status_changed") == ["Status: Findings agreed → Published"]


def test_a_yes_no_change_and_a_count_read_as_words(business):
    audit = AuditFactory()

    audit_log(
        actor=business,
        code="audit.legal_hold_placed",
        target=audit,
        changes={"legal_hold": [False, True]},
    )

    assert details_of("audit.legal_hold_placed") == ["Legal hold: no → yes"]


def test_history_of_a_status_field_shows_the_labels(business):
    audit = AuditFactory(status=Audit.Status.PLANNED)
    audit.status = Audit.Status.OPEN
    audit.save()

    rows = describe_rows(trail_rows(target_type="audits.audit")[:20])

    changed = [line for r in rows for line in r.details if line.startswith("status")]
    assert "status: Planned → Open for returns" in changed


def test_history_of_a_time_reads_as_a_day_and_a_time(business):
    import datetime

    from django.utils import timezone

    audit = AuditFactory()
    audit.opened_at = timezone.make_aware(datetime.datetime(2026, 11, 2, 9, 30))
    audit.save()

    rows = describe_rows(trail_rows(target_type="audits.audit")[:20])

    changed = [line for r in rows for line in r.details if line.startswith("opened at")]
    assert changed == ["opened at: — → 2 Nov 2026 09:30"]


def test_history_of_a_person_field_names_the_person(business, practitioner):
    from tests.factories import ReturnFactory

    audit_return = ReturnFactory()
    audit_return.assignee = practitioner
    audit_return.save()

    rows = describe_rows(trail_rows(target_type="audits.return")[:20])

    changed = [line for r in rows for line in r.details if line.startswith("assignee")]
    assert changed == [f"assignee: — → {practitioner}"]


def test_a_child_in_a_sample_is_named_with_the_audit(business):
    from tests.factories import CaseFactory

    audit = AuditFactory(title="Neglect re-audit")
    CaseFactory(audit=audit, pseudonym="Child K")

    rows = describe_rows(trail_rows(target_type="audits.samplecase")[:5])

    assert [r.target for r in rows] == ["Child K in the sample of Neglect re-audit"]


def test_a_change_named_like_a_reverse_relation_reads_as_words(business):
    """A re-audit's trail entry counts the actions it tests ("actions"), which is also the name
    of the actions' reverse relation on an audit: the trail page answered 500 on it."""
    audit = AuditFactory()

    audit_log(
        actor=business,
        code="audit.status_changed",
        target=audit,
        changes={"actions": ["Agree a plan", "Hear the child"], "returns": 3},
    )

    assert details_of("audit.status_changed") == [
        "Actions: Agree a plan → Hear the child",
        "Returns: 3",
    ]
