"""The default question bank and editing the bank in the browser."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from audits.bank import DEFAULT_BANK, RISK_FACTORS, TOOLS_USED, load_bank
from audits.models import Question, Theme
from audits.services import question_create, question_move
from tests.factories import QuestionFactory, ThemeFactory

SPEC_THEMES = [
    "Recognition",
    "Referrals",
    "Assessment and planning",
    "Recording",
    "Information sharing",
    "Team Around the Family",
    "Voice of the child",
    "Whole-family approach",
    "Interventions",
    "Joint working",
    "Escalation and professional challenge",
    "Impact and outcomes",
]


def test_default_bank_covers_every_theme_and_both_checklists(db):
    load_bank()

    names = set(Theme.objects.values_list("name", flat=True))
    assert set(SPEC_THEMES) <= names
    checklists = [q.options for q in Question.objects.filter(kind=Question.Kind.CHECKLIST)]
    assert RISK_FACTORS in checklists
    assert TOOLS_USED in checklists
    assert RISK_FACTORS == [
        "Previous social care involvement",
        "Neglect",
        "Parental mental health",
        "Disguised compliance",
        "Parental substance misuse",
        "Parental learning disability",
        "Domestic abuse",
        "Poor school attendance",
        "Young carer",
        "Child of an offender",
    ]
    assert TOOLS_USED == [
        "Graded care profile",
        "Neglect toolkit",
        "School-avoidance toolkit",
        "Screening tool",
    ]
    kinds = list(Question.objects.values_list("kind", flat=True))
    assert kinds.count(Question.Kind.NUMBER) == 1
    assert kinds.count(Question.Kind.TEXT) == 1
    assert kinds.count(Question.Kind.GRADE) > kinds.count(Question.Kind.YES_PARTLY_NO)
    for theme in Theme.objects.filter(name__in=SPEC_THEMES):
        assert 2 <= theme.questions.count() <= 4


def test_load_bank_twice_changes_nothing_and_keeps_edits(db):
    load_bank()
    question = Question.objects.get(key="voice-recorded")
    question.text = "How well did we hear the child?"
    question.active = False
    question.save()
    counts = (Theme.objects.count(), Question.objects.count())

    created = load_bank()

    assert created == {"themes": 0, "questions": 0}
    assert (Theme.objects.count(), Question.objects.count()) == counts
    question.refresh_from_db()
    assert (question.text, question.active) == ("How well did we hear the child?", False)
    assert counts[1] == sum(len(t.questions) for t in DEFAULT_BANK)


def test_load_question_bank_command(db):
    out = io.StringIO()

    call_command("load_question_bank", stdout=out)
    call_command("load_question_bank", stdout=out)

    assert "0 new themes, 0 new questions" in out.getvalue()
    assert Theme.objects.count() == len(DEFAULT_BANK)


def test_load_bank_adopts_a_theme_added_by_hand(db):
    ThemeFactory(name="Recognition")

    load_bank()

    assert Theme.objects.filter(name="Recognition").get().key == "recognition"


def test_checklist_needs_two_options(business):
    theme = ThemeFactory()

    with pytest.raises(ValidationError, match="at least two options"):
        question_create(
            actor=business, theme=theme, text="Which?", kind=Question.Kind.CHECKLIST, options=["A"]
        )

    assert not Question.objects.exists()


def test_move_question_up_and_down(business):
    theme = ThemeFactory()
    first, second, third = (QuestionFactory(theme=theme, order=n) for n in (1, 2, 3))

    question_move(question=third, direction="up", actor=business)
    question_move(question=first, direction="up", actor=business)  # already first: no change

    assert list(theme.questions.order_by("order")) == [first, third, second]


def test_business_adds_a_checklist_question_with_one_option_per_line(client_as, business):
    theme = ThemeFactory(name="Recognition")

    response = client_as(business).post(
        reverse("audits:question-create"),
        {
            "theme": theme.pk,
            "text": "Which signs were noticed?",
            "kind": Question.Kind.CHECKLIST,
            "options": "Weight loss\r\n\r\nMissed appointments\r\nWeight loss\r\n",
            "help_text": "",
            "required": "on",
            "active": "on",
        },
    )

    question = Question.objects.get()
    assert response.status_code == 302
    assert question.options == ["Weight loss", "Missed appointments"]
    assert question.order > 0


def test_options_on_a_grade_question_are_refused(client_as, business):
    theme = ThemeFactory()

    response = client_as(business).post(
        reverse("audits:question-create"),
        {"theme": theme.pk, "text": "How well?", "kind": Question.Kind.GRADE, "options": "A\nB"},
    )

    assert "Only a checklist question has options" in response.content.decode()
    assert not Question.objects.exists()


def test_business_edits_and_retires_a_question(client_as, business):
    question = QuestionFactory(text="Old wording?")

    response = client_as(business).post(
        reverse("audits:question-edit", args=[question.pk]),
        {
            "theme": question.theme_id,
            "text": "New wording?",
            "kind": Question.Kind.GRADE,
            "options": "",
            "help_text": "Look at the last six months.",
        },
    )

    question.refresh_from_db()
    assert response.status_code == 302
    assert (question.text, question.active, question.required) == ("New wording?", False, False)


def test_business_adds_and_edits_a_theme(client_as, business):
    client = client_as(business)

    client.post(reverse("audits:theme-create"), {"name": "Transitions", "active": "on"})
    theme = Theme.objects.get(name="Transitions")
    client.post(
        reverse("audits:theme-edit", args=[theme.pk]),
        {"name": "Transitions to adulthood", "order": "5", "description": "Moving on at 18."},
    )

    theme.refresh_from_db()
    assert (theme.name, theme.order, theme.active) == ("Transitions to adulthood", 5, False)


def test_duplicate_theme_name_refused(client_as, business):
    ThemeFactory(name="Recording")

    response = client_as(business).post(
        reverse("audits:theme-create"), {"name": "recording", "active": "on"}
    )

    assert "A theme with this name already exists." in response.content.decode()
    assert Theme.objects.count() == 1


def test_question_bank_page_lists_themes_and_moves(client_as, business):
    load_bank()

    response = client_as(business).get(reverse("audits:question-bank"))

    body = response.content.decode()
    assert "Voice of the child" in body
    assert "Child of an offender" in body
    assert 'name="direction" value="up"' in body


@pytest.mark.parametrize("n", [1, 3])
def test_question_bank_query_count(client_as, business, django_assert_num_queries, n):
    for _ in range(n):
        QuestionFactory(theme=ThemeFactory())
    client = client_as(business)

    with django_assert_num_queries(5):  # session, user, two-factor device, themes, questions
        response = client.get(reverse("audits:question-bank"))

    assert response.status_code == 200


@pytest.mark.parametrize("role", ["practitioner", "other_practitioner", "board", "anonymous"])
def test_bank_writes_refused_change_nothing(client_as, users, role):
    theme = ThemeFactory(name="Recording")
    first, second = QuestionFactory(theme=theme, order=1), QuestionFactory(theme=theme, order=2)
    client = client_as(users[role])

    responses = [
        client.post(reverse("audits:question-move", args=[second.pk]), {"direction": "up"}),
        client.post(
            reverse("audits:question-edit", args=[first.pk]),
            {"theme": theme.pk, "text": "Changed?", "kind": "grade"},
        ),
        client.post(
            reverse("audits:question-create"),
            {"theme": theme.pk, "text": "New?", "kind": "grade"},
        ),
        client.post(reverse("audits:theme-edit", args=[theme.pk]), {"name": "Changed"}),
        client.post(reverse("audits:theme-create"), {"name": "Another"}),
    ]

    assert {r.status_code for r in responses} <= {302, 403}
    assert list(theme.questions.order_by("order")) == [first, second]
    assert Question.objects.get(pk=first.pk).text == first.text
    assert list(Theme.objects.values_list("name", flat=True)) == ["Recording"]


def test_question_bank_search_finds_questions_by_text_guidance_or_option(client_as, business):
    voice = ThemeFactory(name="Voice of the child", order=1)
    risks = ThemeFactory(name="Risk factors", order=2)
    QuestionFactory(theme=voice, text="Was the child seen alone?")
    QuestionFactory(theme=voice, text="Were wishes recorded?", help_text="Look for the child alone")
    QuestionFactory(theme=risks, text="Which risks?", kind="checklist", options=["Seen ALONE"])
    QuestionFactory(theme=risks, text="How many agencies attended?")

    themes = (
        client_as(business).get(reverse("audits:question-bank"), {"q": "alone"}).context["themes"]
    )

    assert [(t.name, [q.text for q in t.listed]) for t in themes] == [
        ("Voice of the child", ["Was the child seen alone?", "Were wishes recorded?"]),
        ("Risk factors", ["Which risks?"]),
    ]


def test_question_bank_search_on_a_theme_name_keeps_all_its_questions(client_as, business):
    risks = ThemeFactory(name="Risk factors")
    QuestionFactory(theme=risks, text="Which risks?")
    QuestionFactory(theme=ThemeFactory(name="Voice of the child"), text="Was the child seen?")

    response = client_as(business).get(reverse("audits:question-bank"), {"q": "RISK"})

    assert [(t.name, len(t.listed)) for t in response.context["themes"]] == [("Risk factors", 1)]
    assert b'name="direction"' not in response.content  # no reordering of a filtered list


def test_question_bank_search_with_no_match_says_so(client_as, business):
    QuestionFactory(theme=ThemeFactory(name="Risk factors"))

    response = client_as(business).get(reverse("audits:question-bank"), {"q": "zebra"})

    assert "No theme or question matches “zebra”." in response.content.decode()


@pytest.mark.parametrize("n", [1, 3])
def test_question_bank_search_query_count(client_as, business, django_assert_num_queries, n):
    for _ in range(n):
        QuestionFactory(theme=ThemeFactory(), text="Was the child seen alone?")
    client = client_as(business)

    with django_assert_num_queries(5):  # session, user, two-factor device, themes, questions
        response = client.get(reverse("audits:question-bank"), {"q": "alone"})

    assert len(response.context["themes"]) == n
