"""The audit status flow: every guard, the one step back, and what each step records."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from auditportal.models import AuditEvent
from audits.models import Audit, AuditTransition, Return
from audits.services import audit_agree_findings, audit_publish, audit_transition
from tests.factories import (
    AuditFactory,
    BriefingFactory,
    BriefingVersionFactory,
    CaseAgencyFactory,
    CaseFactory,
    FindingFactory,
    QuestionSetItemFactory,
)

S = Audit.Status


def openable_audit(agencies, *, cases=1, **fields):
    audit = AuditFactory(**fields)
    QuestionSetItemFactory(question_set=audit.question_set)
    for n in range(cases):
        case = CaseFactory(audit=audit, pseudonym=f"Child {n + 1}")
        for agency in agencies:
            CaseAgencyFactory(case=case, agency=agency)
    return audit


@pytest.fixture
def audit(agency_a, agency_b):
    return openable_audit([agency_a, agency_b])


def test_open_creates_returns_freezes_set_and_records_transition(audit, business):
    result = audit_transition(audit=audit, to_status=S.OPEN, actor=business, note="Go")

    audit.refresh_from_db()
    assert result is audit
    assert audit.status == S.OPEN
    assert audit.opened_at is not None
    assert audit.question_set.frozen_at is not None
    assert audit.returns.count() == 2
    assert set(audit.returns.values_list("status", flat=True)) == {Return.Status.NOT_STARTED}
    transition = AuditTransition.objects.get(audit=audit)
    assert (transition.from_status, transition.to_status, transition.actor, transition.note) == (
        S.PLANNED,
        S.OPEN,
        business,
        "Go",
    )
    event = AuditEvent.objects.get(code="audit.status_changed")
    assert event.changes["status"] == [S.PLANNED, S.OPEN]


def test_open_with_no_cases_is_refused(business):
    audit = AuditFactory()
    QuestionSetItemFactory(question_set=audit.question_set)

    with pytest.raises(ValidationError, match="Add at least one case"):
        audit_transition(audit=audit, to_status=S.OPEN, actor=business)

    audit.refresh_from_db()
    assert audit.status == S.PLANNED
    assert audit.question_set.frozen_at is None
    assert not AuditTransition.objects.exists()


def test_open_with_a_case_without_agency_is_refused(audit, business):
    CaseFactory(audit=audit, pseudonym="Child 9")

    with pytest.raises(ValidationError, match="Child 9 has none"):
        audit_transition(audit=audit, to_status=S.OPEN, actor=business)

    audit.refresh_from_db()
    assert audit.status == S.PLANNED
    assert not Return.objects.exists()


def test_open_with_an_empty_question_set_is_refused(agency_a, business):
    audit = AuditFactory()
    CaseAgencyFactory(case=CaseFactory(audit=audit), agency=agency_a)

    with pytest.raises(ValidationError, match="has no questions"):
        audit_transition(audit=audit, to_status=S.OPEN, actor=business)

    assert Audit.objects.get(pk=audit.pk).status == S.PLANNED


def test_skipping_a_step_is_refused(audit, business):
    with pytest.raises(ValidationError, match="cannot move to"):
        audit_transition(audit=audit, to_status=S.MODERATION, actor=business)

    assert Audit.objects.get(pk=audit.pk).status == S.PLANNED


def test_unknown_status_is_refused(audit, business):
    with pytest.raises(ValidationError, match="not a status"):
        audit_transition(audit=audit, to_status="archived", actor=business)


@pytest.mark.parametrize("role", ["practitioner", "other_practitioner", "board"])
def test_only_business_team_moves_an_audit(audit, users, role):
    with pytest.raises(PermissionDenied):
        audit_transition(audit=audit, to_status=S.OPEN, actor=users[role])

    assert Audit.objects.get(pk=audit.pk).status == S.PLANNED


def test_moderation_locks_returns_and_can_reopen(audit, business):
    audit_transition(audit=audit, to_status=S.OPEN, actor=business)
    audit_return = audit.returns.first()
    assert audit_return.is_editable

    audit_transition(audit=audit, to_status=S.MODERATION, actor=business)
    audit_return.refresh_from_db()
    assert not audit_return.is_editable

    audit_transition(audit=audit, to_status=S.OPEN, actor=business, note="One return to amend")
    audit_return.refresh_from_db()
    assert audit_return.is_editable
    assert audit.returns.count() == 2  # re-opening never duplicates returns
    assert list(audit.transitions.values_list("to_status", flat=True)) == [
        S.OPEN,
        S.MODERATION,
        S.OPEN,
    ]


def test_findings_agreed_is_refused_as_a_plain_status_change(audit, business):
    # The findings layer agrees the findings (findings_agree checks there is one), so the
    # programme's status change cannot, even when findings exist.
    audit_transition(audit=audit, to_status=S.OPEN, actor=business)
    audit_transition(audit=audit, to_status=S.MODERATION, actor=business)
    FindingFactory(audit=audit)

    with pytest.raises(ValidationError, match="Findings are agreed with the audit's findings"):
        audit_transition(audit=audit, to_status=S.FINDINGS_AGREED, actor=business)

    assert Audit.objects.get(pk=audit.pk).status == S.MODERATION


def test_audit_agree_findings_moves_moderation_on_and_records_the_step(business):
    audit = AuditFactory(status=S.MODERATION)

    audit_agree_findings(audit=audit, actor=business, note="Agreed at the meeting")

    assert Audit.objects.get(pk=audit.pk).status == S.FINDINGS_AGREED
    step = AuditTransition.objects.get(audit=audit)
    assert (step.from_status, step.to_status, step.note) == (
        S.MODERATION,
        S.FINDINGS_AGREED,
        "Agreed at the meeting",
    )


def test_published_is_refused_as_a_plain_status_change(business):
    # An audit is published with its briefing (briefings calls audit_publish), so the
    # programme's status button cannot publish it, even when a briefing version exists.
    audit = AuditFactory(status=S.FINDINGS_AGREED)
    briefing = BriefingFactory(audit=audit)
    briefing.published_version = BriefingVersionFactory(briefing=briefing)
    briefing.save()

    with pytest.raises(ValidationError, match="publish a rendered briefing"):
        audit_transition(audit=audit, to_status=S.PUBLISHED, actor=business)

    assert Audit.objects.get(pk=audit.pk).status == S.FINDINGS_AGREED


def test_audit_publish_moves_findings_agreed_on_and_records_the_step(business):
    audit = AuditFactory(status=S.FINDINGS_AGREED)

    audit_publish(audit=audit, actor=business, note="Briefing version 1 published")

    assert Audit.objects.get(pk=audit.pk).status == S.PUBLISHED
    step = AuditTransition.objects.get(audit=audit)
    assert (step.from_status, step.to_status, step.note) == (
        S.FINDINGS_AGREED,
        S.PUBLISHED,
        "Briefing version 1 published",
    )


def test_audit_publish_refuses_an_audit_still_in_moderation(business):
    audit = AuditFactory(status=S.MODERATION)

    with pytest.raises(ValidationError, match="cannot move"):
        audit_publish(audit=audit, actor=business)

    assert Audit.objects.get(pk=audit.pk).status == S.MODERATION


def test_closing_sets_closed_at_and_closed_is_final(business):
    audit = AuditFactory(status=S.PUBLISHED)

    audit_transition(audit=audit, to_status=S.CLOSED, actor=business)

    audit.refresh_from_db()
    assert audit.closed_at is not None
    with pytest.raises(ValidationError):
        audit_transition(audit=audit, to_status=S.PUBLISHED, actor=business)


def test_published_cannot_go_back(business):
    audit = AuditFactory(status=S.PUBLISHED)

    with pytest.raises(ValidationError, match="cannot move"):
        audit_agree_findings(audit=audit, actor=business)
    with pytest.raises(ValidationError):
        audit_transition(audit=audit, to_status=S.FINDINGS_AGREED, actor=business)


def test_stale_instance_cannot_repeat_a_transition(audit, business):
    stale = Audit.objects.get(pk=audit.pk)
    audit_transition(audit=audit, to_status=S.OPEN, actor=business)

    audit_transition(audit=stale, to_status=S.MODERATION, actor=business)

    assert Audit.objects.get(pk=audit.pk).status == S.MODERATION
    assert AuditTransition.objects.count() == 2


def test_transition_view_moves_and_reports(client_as, business, audit):
    url = reverse("audits:audit-transition", args=[audit.pk])

    response = client_as(business).post(url, {"to_status": S.OPEN}, follow=True)

    assert response.status_code == 200
    assert Audit.objects.get(pk=audit.pk).status == S.OPEN
    assert "is now “Open for returns”" in response.content.decode()


def test_transition_view_shows_guard_message(client_as, business):
    audit = AuditFactory()
    url = reverse("audits:audit-transition", args=[audit.pk])

    response = client_as(business).post(url, {"to_status": S.OPEN}, follow=True)

    assert "Add at least one case" in response.content.decode()
    assert Audit.objects.get(pk=audit.pk).status == S.PLANNED


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("business", 302),
        ("practitioner", 404),
        ("other_practitioner", 404),
        ("board", 404),
        ("anonymous", 302),
    ],
)
def test_transition_view_permissions(client_as, users, audit, role, expected):
    url = reverse("audits:audit-transition", args=[audit.pk])

    response = client_as(users[role]).post(url, {"to_status": S.OPEN})

    assert response.status_code == expected
    opened = Audit.objects.get(pk=audit.pk).status == S.OPEN
    assert opened == (role == "business")


def test_transition_view_practitioner_of_a_taking_part_agency_gets_403(
    client_as, business, practitioner, audit
):
    audit_transition(audit=audit, to_status=S.OPEN, actor=business)
    url = reverse("audits:audit-transition", args=[audit.pk])

    response = client_as(practitioner).post(url, {"to_status": S.MODERATION})

    assert response.status_code == 403
    assert Audit.objects.get(pk=audit.pk).status == S.OPEN
