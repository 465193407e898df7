import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from auditportal.models import AuditEvent
from audits.models import Answer, Audit
from findings.moderation import answer_moderate

from .results_builders import four_case_audit

pytestmark = pytest.mark.django_db


def _fresh(answer: Answer) -> Answer:
    return Answer.objects.get(pk=answer.pk)


def test_moderate_records_grade_reason_and_log(business):
    built = four_case_audit()
    answer = built.answers["YP1-B-G1"]

    answer_moderate(
        answer=answer,
        moderated_choice="good",
        reason="The chronology shows a referral within a day.",
        actor=business,
    )

    saved = _fresh(answer)
    assert (saved.choice, saved.moderated_choice, saved.moderation_reason, saved.moderated_by) == (
        "requires_improvement",
        "good",
        "The chronology shows a referral within a day.",
        business,
    )
    event = AuditEvent.objects.get(code="answer.moderated")
    assert event.changes == {
        "moderated_choice": ["", "good"],
        "agency_choice": "requires_improvement",
    }


def test_moderate_without_reason_is_refused_and_saves_nothing(business):
    built = four_case_audit()
    answer = built.answers["YP1-B-G1"]

    with pytest.raises(ValidationError, match="Give a reason"):
        answer_moderate(answer=answer, moderated_choice="good", reason="   ", actor=business)

    assert _fresh(answer).moderated_choice == ""
    assert not AuditEvent.objects.filter(code__startswith="answer.moder").exists()


def test_moderate_can_clear_a_moderated_grade(business):
    built = four_case_audit()
    answer = built.answers["YP1-B-G1"]
    answer_moderate(answer=answer, moderated_choice="good", reason="Seen in notes.", actor=business)

    answer_moderate(answer=answer, moderated_choice="", reason="", actor=business)

    saved = _fresh(answer)
    assert (saved.moderated_choice, saved.moderation_reason, saved.moderated_by) == ("", "", None)
    assert AuditEvent.objects.filter(code="answer.moderation_cleared").count() == 1


@pytest.mark.parametrize("status", [Audit.Status.OPEN, Audit.Status.PUBLISHED])
def test_moderate_outside_moderation_is_refused(business, status):
    built = four_case_audit(status=status)
    answer = built.answers["YP1-B-G1"]

    with pytest.raises(ValidationError, match="only while the audit is in moderation"):
        answer_moderate(answer=answer, moderated_choice="good", reason="Seen.", actor=business)

    assert _fresh(answer).moderated_choice == ""


def test_moderate_allowed_once_findings_agreed(business):
    built = four_case_audit(status=Audit.Status.FINDINGS_AGREED)

    answer_moderate(
        answer=built.answers["YP1-B-G1"], moderated_choice="good", reason="Seen.", actor=business
    )

    assert _fresh(built.answers["YP1-B-G1"]).moderated_choice == "good"


def test_moderate_refuses_non_grade_answers_and_drafts(business):
    built = four_case_audit()

    with pytest.raises(ValidationError, match="Only grade answers"):
        answer_moderate(
            answer=built.answers["YP1-A-Y1"], moderated_choice="good", reason="x", actor=business
        )
    with pytest.raises(ValidationError, match="submitted returns"):
        answer_moderate(
            answer=built.answers["YP2-B-G1"], moderated_choice="good", reason="x", actor=business
        )


def test_moderate_refuses_unknown_grade(business):
    built = four_case_audit()

    with pytest.raises(ValidationError, match="Choose a grade"):
        answer_moderate(
            answer=built.answers["YP1-B-G1"],
            moderated_choice="brilliant",
            reason="x",
            actor=business,
        )


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("practitioner", 403),
        ("other_practitioner", 403),
        ("board", 403),
        ("anonymous", 302),
    ],
)
def test_moderate_post_refused_changes_nothing(users, client_as, role, expected):
    built = four_case_audit()
    answer = built.answers["YP1-B-G1"]

    response = client_as(users[role]).post(
        reverse("findings:moderate", args=[answer.pk]),
        {"moderated_choice": "good", "reason": "Looks good to me."},
    )

    assert response.status_code == expected
    assert _fresh(answer).moderated_choice == ""


def test_moderate_post_saves_and_returns_to_results(business, client_as):
    built = four_case_audit()
    answer = built.answers["YP1-B-G1"]

    response = client_as(business).post(
        reverse("findings:moderate", args=[answer.pk]),
        {"moderated_choice": "good", "reason": "Referral made the next morning."},
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("findings:results", args=[built.audit.pk]))
    assert _fresh(answer).moderated_choice == "good"


def test_moderate_post_without_reason_shows_error(business, client_as):
    built = four_case_audit()
    answer = built.answers["YP1-B-G1"]

    response = client_as(business).post(
        reverse("findings:moderate", args=[answer.pk]), {"moderated_choice": "good", "reason": ""}
    )

    assert response.status_code == 400
    assert "Give a reason for the moderated grade." in response.content.decode()
    assert _fresh(answer).moderated_choice == ""


def test_moderate_post_when_audit_is_open_shows_error(business, client_as):
    built = four_case_audit(status=Audit.Status.OPEN)
    answer = built.answers["YP1-B-G1"]

    response = client_as(business).post(
        reverse("findings:moderate", args=[answer.pk]),
        {"moderated_choice": "good", "reason": "Seen."},
    )

    assert response.status_code == 400
    assert "only while the audit is in moderation" in response.content.decode()
    assert _fresh(answer).moderated_choice == ""


def test_moderate_unknown_answer_is_404(business, client_as):
    response = client_as(business).get(reverse("findings:moderate", args=[999999]))

    assert response.status_code == 404
