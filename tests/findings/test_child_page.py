"""The child's page: every agency's submitted answers side by side, the meeting's judgement
(agreed grade per theme with a reason, the difference the work made), and the agreed case
grades on the results page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from audits.event_bank import load_event_kinds
from audits.models import Answer, Audit, EventKind, ImmediateConcern, KeyEvent, Return, SampleCase
from findings.models import AgreedGrade, CaseJudgement
from findings.results import audit_results
from findings.results.agreed import agreed_theme_results
from tests.audits.returns_builders import build_open_audit
from tests.factories import AgencyFactory, AnswerFactory


def _submit(audit_return, built, *, grade="good", evidence=""):
    AnswerFactory(
        audit_return=audit_return, item=built.items["grade"], choice=grade, evidence=evidence
    )
    Return.objects.filter(pk=audit_return.pk).update(
        status=Return.Status.SUBMITTED, submitted_at=timezone.now()
    )


@pytest.fixture
def moderated(agency_a, agency_b):
    """Two children, each with returns from agencies A and B, submitted, in moderation."""
    built = build_open_audit(agencies=[agency_a, agency_b], cases=2)
    for (_case_id, agency_id), audit_return in built.returns.items():
        _submit(audit_return, built, evidence=f"Evidence of agency {agency_id}.")
    Audit.objects.filter(pk=built.audit.pk).update(status=Audit.Status.MODERATION)
    built.audit.refresh_from_db()
    return built


def _url(built, case_index=0):
    return reverse("findings:child-page", args=[built.audit.pk, built.cases[case_index].pk])


def _post(built, theme_id, **extra):
    return {
        "lived_experience": "Home was chaotic; school was the one steady place.",
        "difference": "some",
        "difference_text": "Attendance improved once the plan was shared.",
        f"grade-{theme_id}": "requires_improvement",
        f"reason-{theme_id}": "Wishes recorded by one agency only.",
        **extra,
    }


def test_child_page_shows_every_agency_s_answers_side_by_side(
    client_as, business, moderated, agency_a, agency_b
):
    ImmediateConcern.objects.create(
        audit=moderated.audit,
        audit_return=moderated.return_for(agency_a),
        description="Worry now.",
    )

    response = client_as(business).get(_url(moderated))

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Evidence of agency {agency_a.pk}." in html
    assert f"Evidence of agency {agency_b.pk}." in html
    assert "Open immediate concerns" in html
    # The other child's answers are not on this child's page.
    other = moderated.return_for(agency_a, case_index=1)
    assert reverse("audits:return-detail", args=[other.pk]) not in html


def test_recording_the_judgement_writes_it_with_the_agreed_grade(client_as, business, moderated):
    theme_id = moderated.items["grade"].theme_id

    response = client_as(business).post(_url(moderated), _post(moderated, theme_id))

    assert response.status_code == 302
    sample = SampleCase.objects.get(audit=moderated.audit, case=moderated.cases[0])
    judgement = CaseJudgement.objects.get(sample_case=sample)
    assert (judgement.difference, judgement.updated_by) == ("some", business)
    agreed = AgreedGrade.objects.get()
    assert (agreed.theme_id, agreed.grade, agreed.reason) == (
        theme_id,
        "requires_improvement",
        "Wishes recorded by one agency only.",
    )
    assert agreed.history.count() == 1


def test_an_agreed_grade_without_a_reason_is_refused_at_the_field(client_as, business, moderated):
    theme_id = moderated.items["grade"].theme_id

    response = client_as(business).post(
        _url(moderated), _post(moderated, theme_id, **{f"reason-{theme_id}": ""})
    )

    assert response.status_code == 400
    assert "Give the reason for the agreed grade for Voice of the child." in (
        response.content.decode()
    )
    assert not CaseJudgement.objects.exists()
    assert not AgreedGrade.objects.exists()


def test_judgement_is_refused_before_moderation(client_as, business, moderated):
    Audit.objects.filter(pk=moderated.audit.pk).update(status=Audit.Status.OPEN)
    theme_id = moderated.items["grade"].theme_id

    response = client_as(business).post(_url(moderated), _post(moderated, theme_id), follow=True)

    assert "Nothing was saved." in response.content.decode()
    assert not CaseJudgement.objects.exists()


def test_results_show_agreed_case_grades_one_per_child(client_as, business, moderated):
    theme_id = moderated.items["grade"].theme_id
    client = client_as(business)
    client.post(_url(moderated, 0), _post(moderated, theme_id))
    client.post(
        _url(moderated, 1),
        _post(moderated, theme_id, **{f"grade-{theme_id}": "good", f"reason-{theme_id}": "Yes."}),
    )

    figures = audit_results(audit=moderated.audit)
    agreed = agreed_theme_results(audit=moderated.audit, themes=figures.themes)
    response = client.get(reverse("findings:results", args=[moderated.audit.pk]) + "?grades=agreed")

    # Agency grades: four answers (two children × two agencies), all Good.
    assert [(f.label, f.count, f.denominator) for f in figures.themes[0].grades] == [
        ("Outstanding", 0, 4),
        ("Good", 4, 4),
        ("Requires improvement", 0, 4),
        ("Inadequate", 0, 4),
    ]
    # Agreed case grades: one per child.
    assert [(f.label, f.count, f.denominator) for f in agreed[0].grades] == [
        ("Outstanding", 0, 2),
        ("Good", 1, 2),
        ("Requires improvement", 1, 2),
        ("Inadequate", 0, 2),
    ]
    html = response.content.decode()
    assert "Grades by theme, one per child (agreed case grades)" in html
    assert "50% (1 of 2)" in html
    assert "2 children with an agreed grade" in html


def test_child_page_chronology_merges_agencies_and_marks_a_missed_link(
    client_as, business, moderated, agency_a, agency_b
):
    load_event_kinds()
    referral = EventKind.objects.get(key="referral")
    missing = EventKind.objects.get(key="missing-episode")
    today = timezone.localdate()
    KeyEvent.objects.create(
        audit_return=moderated.return_for(agency_a),
        when=today - datetime.timedelta(days=60),
        kind=referral,
        text="Referral about neglect.",
    )
    KeyEvent.objects.create(
        audit_return=moderated.return_for(agency_b),
        when=today - datetime.timedelta(days=20),
        kind=missing,
        text="Missing overnight.",
    )
    KeyEvent.objects.create(
        audit_return=moderated.return_for(agency_a),
        when=today - datetime.timedelta(days=5),
        kind=EventKind.objects.get(key="home-visit"),
        text="Home visit.",
    )

    html = client_as(business).get(_url(moderated)).content.decode()

    assert html.index("Referral about neglect.") < html.index("Missing overnight.")
    assert "Possible missed link:" in html
    assert (
        f"{escape(agency_a.name)} was involved at the time and recorded nothing within 14 days."
        in html
    )


@pytest.mark.parametrize("agencies", [1, 3])
def test_child_page_query_count(client_as, business, agencies, django_assert_num_queries):
    built = build_open_audit(agencies=[AgencyFactory() for _ in range(agencies)])
    for audit_return in built.returns.values():
        _submit(audit_return, built)
    Audit.objects.filter(pk=built.audit.pk).update(status=Audit.Status.MODERATION)
    client = client_as(business)

    # session, user, MFA device, sample case (+audit, case), returns, items, answers, ticks,
    # agreed grades, concerns, judgement, key events, the access-log insert, summaries
    with django_assert_num_queries(14):
        response = client.get(_url(built))

    assert response.status_code == 200
    assert Answer.objects.count() == agencies


@pytest.mark.parametrize("children", [1, 3])
def test_agreed_case_grades_query_count(business, agency_a, children, django_assert_num_queries):
    built = build_open_audit(agencies=[agency_a], cases=children)
    theme = built.items["grade"].theme
    for case in built.cases:
        AgreedGrade.objects.create(
            sample_case=SampleCase.objects.get(audit=built.audit, case=case),
            theme=theme,
            grade="good",
            reason="Agreed.",
        )
    themes = audit_results(audit=built.audit).themes

    # the agreed grades counted by theme and grade
    with django_assert_num_queries(1):
        agreed = agreed_theme_results(audit=built.audit, themes=themes)

    assert agreed[0].grades[1].count == children


def test_the_judgement_is_in_the_trail_of_the_child_s_case(client_as, business, moderated):
    theme_id = moderated.items["grade"].theme_id
    client = client_as(business)
    client.post(_url(moderated), _post(moderated, theme_id))

    response = client.get(reverse("trail:events") + f"?record=cases.case:{moderated.cases[0].pk}")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Recorded the meeting&#x27;s judgement of a child" in html
