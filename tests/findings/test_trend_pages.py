"""Trend pages for every figure kind: grades by theme, yes/partly/no and grade questions,
checklists (risk-factor prevalence), completion; overall and by agency; oldest first."""

import datetime

import pytest
from django.urls import reverse

from audits.models import Audit, Question, Return, Theme
from cases.models import Partnership
from tests.factories import (
    AgencyFactory,
    AnswerFactory,
    AuditFactory,
    CaseFactory,
    QuestionFactory,
    QuestionSetFactory,
    QuestionSetItemFactory,
    ReturnFactory,
)

pytestmark = pytest.mark.django_db

S = Return.Status


def _audit(title: str, year: int, items, status=Audit.Status.CLOSED) -> Audit:
    """An audit asking copies of the given bank questions (a new set each, as versions are)."""
    question_set = QuestionSetFactory()
    for question, text in items:
        QuestionSetItemFactory(
            question_set=question_set, question=question, text=text or question.text
        )
    return AuditFactory(
        title=title,
        question_set=question_set,
        status=status,
        returns_open=datetime.date(year, 3, 1),
        returns_due=datetime.date(year, 3, 29),
    )


def _answer(audit: Audit, agency, question, status=S.SUBMITTED, **fields):
    item = audit.question_set.items.get(question=question)
    audit_return = ReturnFactory(
        case=CaseFactory(audit=audit), audit=audit, agency=agency, status=status
    )
    return AnswerFactory(audit_return=audit_return, item=item, **fields)


def test_a_theme_without_grade_questions_does_not_say_no_audit_asked_it(business, client_as):
    # The bug: "Child and family context" asks a checklist and a number, no grade question,
    # and its trend page said no audit had asked about it.
    context = Theme.objects.create(name="Child and family context", order=1)
    factors = QuestionFactory(
        theme=context,
        kind=Question.Kind.CHECKLIST,
        options=["Neglect", "Domestic abuse"],
        text="Which of these factors were present?",
    )
    audit = _audit("Spring 2025", 2025, [(factors, None)])
    _answer(audit, AgencyFactory(), factors, choice="")

    html = client_as(business).get(reverse("findings:trend", args=[context.pk])).content.decode()

    assert "No audit has asked about Child and family context" not in html
    assert "No audit has asked a grade question about Child and family context" in html
    assert reverse("findings:question-trend", args=[factors.pk]) in html


def _ypn_question():
    voice = Theme.objects.create(name="Voice of the child", order=2)
    return QuestionFactory(
        theme=voice, kind=Question.Kind.YES_PARTLY_NO, text="Was the child seen alone?"
    )


def test_a_question_trend_counts_each_audit_oldest_first_by_agency(business, client_as):
    question = _ypn_question()
    police, school = AgencyFactory(name="Police"), AgencyFactory(name="School")
    newer = _audit("Spring 2026", 2026, [(question, None)])
    older = _audit("Spring 2025", 2025, [(question, "Was the child seen on their own?")])
    for choice in ["yes", "no", "no", "not_applicable"]:
        _answer(older, police, question, choice=choice)
    _answer(older, school, question, choice="yes")
    _answer(older, school, question, status=S.IN_PROGRESS, choice="no")  # not counted
    for choice in ["yes", "yes", "partly"]:
        _answer(newer, police, question, choice=choice)

    response = client_as(business).get(reverse("findings:question-trend", args=[question.pk]))

    trend = response.context["trend"]
    assert [p.audit_title for p in trend.points] == ["Spring 2025", "Spring 2026"]
    assert [f.display() for f in trend.points[0].figures] == [
        "50% (2 of 4)",
        "0% (0 of 4)",
        "50% (2 of 4)",
    ]
    assert trend.points[0].not_applicable == 1
    assert [
        (a.agency_name, [f.display() for f in a.figures]) for a in trend.points[0].by_agency
    ] == [
        ("Police", ["33% (1 of 3)", "0% (0 of 3)", "67% (2 of 3)"]),
        ("School", ["100% (1 of 1)", "0% (0 of 1)", "0% (0 of 1)"]),
    ]
    assert [f.display() for f in trend.points[1].figures] == [
        "67% (2 of 3)",
        "33% (1 of 3)",
        "0% (0 of 3)",
    ]
    html = response.content.decode()
    assert "The wording of this question was edited between audits" in html
    assert "Asked as: “Was the child seen on their own?”" in html


def test_a_checklist_trend_is_prevalence_over_cases(business, client_as):
    context = Theme.objects.create(name="Child and family context", order=1)
    factors = QuestionFactory(
        theme=context, kind=Question.Kind.CHECKLIST, options=["Neglect", "Domestic abuse"]
    )
    audit = _audit("Spring 2025", 2025, [(factors, None)])
    police, school = AgencyFactory(name="Police"), AgencyFactory(name="School")
    item = audit.question_set.items.get()
    child = CaseFactory(audit=audit)
    for agency, ticks in [(police, ["Neglect"]), (school, ["Neglect", "Domestic abuse"])]:
        audit_return = ReturnFactory(case=child, audit=audit, agency=agency, status=S.SUBMITTED)
        answer = AnswerFactory(audit_return=audit_return, item=item, choice="")
        for option in ticks:
            answer.ticks.create(option=option)
    _answer(audit, police, factors, choice="")  # a second child, nothing ticked

    response = client_as(business).get(reverse("findings:question-trend", args=[factors.pk]))

    point = response.context["trend"].points[0]
    assert [f.display() for f in point.figures] == ["50% (1 of 2)", "50% (1 of 2)"]
    assert [(a.agency_name, [f.display() for f in a.figures]) for a in point.by_agency] == [
        ("Police", ["50% (1 of 2)", "0% (0 of 2)"]),
        ("School", ["100% (1 of 1)", "100% (1 of 1)"]),
    ]


def test_the_completion_trend_counts_submitted_of_expected_by_agency(business, client_as):
    question = _ypn_question()
    audit = _audit("Spring 2025", 2025, [(question, None)])
    police, school = AgencyFactory(name="Police"), AgencyFactory(name="School")
    _answer(audit, police, question, choice="yes")
    _answer(audit, police, question, status=S.IN_PROGRESS, choice="yes")
    _answer(audit, school, question, choice="yes")

    response = client_as(business).get(reverse("findings:completion-trend"))

    point = response.context["points"][0]
    assert point.figures[0].display() == "67% (2 of 3)"
    assert [(a.agency_name, a.figures[0].display()) for a in point.by_agency] == [
        ("Police", "50% (1 of 2)"),
        ("School", "100% (1 of 1)"),
    ]


def test_a_question_no_audit_used_has_an_empty_state(business, board, client_as):
    question = _ypn_question()

    for user in (business, board):
        response = client_as(user).get(reverse("findings:question-trend", args=[question.pk]))

        assert response.status_code == 200
        assert "No " in response.content.decode()
        assert "audit has asked this question yet" in response.content.decode()


def test_a_question_that_does_not_exist_is_404(business, client_as):
    response = client_as(business).get(reverse("findings:question-trend", args=[999999]))

    assert response.status_code == 404


def test_the_board_sees_published_audits_with_suppression(board, client_as):
    Partnership.objects.update_or_create(pk=1, defaults={"suppression_threshold": 3})
    question = _ypn_question()
    police = AgencyFactory(name="Police")
    closed = _audit("Spring 2025", 2025, [(question, None)])
    _audit("Spring 2026", 2026, [(question, None)], status=Audit.Status.OPEN)
    for choice in ["yes", "yes", "yes", "no"]:
        _answer(closed, police, question, choice=choice)

    response = client_as(board).get(reverse("findings:question-trend", args=[question.pk]))

    html = response.content.decode()
    assert [p.audit_title for p in response.context["trend"].points] == ["Spring 2025"]
    assert "75% (3 of 4)" in html
    assert "fewer than 3" in html  # the single "no"


@pytest.mark.parametrize("audits", [1, 3])
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # session, user, two-factor device, partnership; the question, the items asked,
        # their answer counts
        ("findings:question-trend", 7),
        # session, user, two-factor device, partnership; returns by audit and agency
        ("findings:completion-trend", 5),
        # session, user, two-factor device, partnership; questions asked
        ("findings:trend-index", 5),
        # session, user, two-factor device, partnership, theme; audits that asked it, answer
        # counts, by agency, the theme's questions asked
        ("findings:trend", 9),
    ],
)
def test_trend_pages_take_the_same_queries_however_many_audits(
    business, client_as, django_assert_num_queries, audits, name, queries
):
    question = QuestionFactory(theme=Theme.objects.create(name="Recognition", order=1))
    police = AgencyFactory(name="Police")
    for n in range(audits):
        audit = _audit(f"Audit {n}", 2020 + n, [(question, None)])
        _answer(audit, police, question, choice="good")
    client = client_as(business)
    args = {"findings:question-trend": [question.pk], "findings:trend": [question.theme_id]}

    with django_assert_num_queries(queries):
        response = client.get(reverse(name, args=args.get(name, [])))

    assert response.status_code == 200
