"""Question sets: copies of bank questions, edited until an audit opens, then frozen."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audits.models import Answer, Audit, Question, QuestionSet, QuestionSetItem
from audits.services import (
    FROZEN_SET_MESSAGE,
    audit_transition,
    question_update,
    questionset_create,
    questionset_new_version,
    questionset_update,
)
from tests.factories import (
    AuditFactory,
    CaseAgencyFactory,
    CaseFactory,
    QuestionFactory,
    QuestionSetFactory,
    ThemeFactory,
)


@pytest.fixture
def bank(db):
    voice = ThemeFactory(name="Voice of the child", order=2)
    recognition = ThemeFactory(name="Recognition", order=1)
    return [
        QuestionFactory(theme=voice, text="Were the child's wishes recorded?", order=1),
        QuestionFactory(
            theme=recognition,
            text="Which factors were present?",
            kind=Question.Kind.CHECKLIST,
            options=["Neglect", "Young carer"],
            order=1,
        ),
        QuestionFactory(theme=recognition, text="How early was harm noticed?", order=2),
    ]


def test_create_copies_questions_in_bank_order(business, bank):
    question_set = questionset_create(actor=business, name="Core", questions=bank)

    items = list(question_set.items.order_by("order"))
    assert [i.text for i in items] == [
        "Which factors were present?",
        "How early was harm noticed?",
        "Were the child's wishes recorded?",
    ]
    assert items[0].options == ["Neglect", "Young carer"]
    assert items[0].theme_name == "Recognition"
    assert question_set.version == 1


def test_create_needs_a_question_and_a_new_name(business, bank):
    QuestionSetFactory(name="Core")

    with pytest.raises(ValidationError, match="at least one question"):
        questionset_create(actor=business, name="Empty", questions=[])
    with pytest.raises(ValidationError, match="new version"):
        questionset_create(actor=business, name="core", questions=bank)

    assert QuestionSet.objects.count() == 1


def test_edit_unfrozen_set_recopies_from_bank(business, bank):
    question_set = questionset_create(actor=business, name="Core", questions=bank[:1])
    question_update(
        question=bank[0],
        actor=business,
        theme=bank[0].theme,
        text="Were the child's wishes and feelings recorded?",
        kind=bank[0].kind,
        help_text="",
        options=[],
        required=True,
        active=True,
    )

    questionset_update(
        question_set=question_set,
        actor=business,
        name="Core",
        description="Updated",
        questions=bank,
    )

    texts = set(question_set.items.values_list("text", flat=True))
    assert "Were the child's wishes and feelings recorded?" in texts
    assert question_set.items.count() == 3


def opened_audit(business, question_set, agency):
    audit = AuditFactory(question_set=question_set)
    CaseAgencyFactory(case=CaseFactory(audit=audit), agency=agency)
    return audit_transition(audit=audit, to_status=Audit.Status.OPEN, actor=business)


def test_editing_a_frozen_set_is_refused_and_changes_nothing(business, bank, agency_a):
    question_set = questionset_create(actor=business, name="Core", questions=bank)
    opened_audit(business, question_set, agency_a)
    question_set.refresh_from_db()
    before = list(question_set.items.values_list("pk", "text"))

    with pytest.raises(ValidationError) as refused:
        questionset_update(
            question_set=question_set,
            actor=business,
            name="Renamed",
            description="",
            questions=bank[:1],
        )

    assert refused.value.messages == [FROZEN_SET_MESSAGE]
    question_set.refresh_from_db()
    assert question_set.name == "Core"
    assert list(question_set.items.values_list("pk", "text")) == before


def test_edit_page_of_frozen_set_explains_and_refuses(client_as, business, bank, agency_a):
    question_set = questionset_create(actor=business, name="Core", questions=bank)
    opened_audit(business, question_set, agency_a)
    client = client_as(business)

    response = client.post(
        reverse("audits:questionset-edit", args=[question_set.pk]),
        {"name": "Renamed", "questions": [bank[0].pk]},
        follow=True,
    )

    assert "frozen because an audit using it has opened" in response.content.decode()
    assert QuestionSet.objects.get(pk=question_set.pk).name == "Core"
    assert question_set.items.count() == 3


def test_bank_edits_after_opening_never_change_the_audit(business, bank, agency_a):
    question_set = questionset_create(actor=business, name="Core", questions=bank)
    audit = opened_audit(business, question_set, agency_a)
    audit_return = audit.returns.get()
    item = question_set.items.get(question=bank[0])
    Answer.objects.create(audit_return=audit_return, item=item, choice="good", evidence="Seen.")
    items_before = list(
        QuestionSetItem.objects.filter(question_set=question_set).values_list(
            "pk", "text", "kind", "options", "required", "theme_name"
        )
    )

    question_update(
        question=bank[0],
        actor=business,
        theme=bank[0].theme,
        text="A completely different question?",
        kind=Question.Kind.YES_PARTLY_NO,
        help_text="",
        options=[],
        required=False,
        active=False,
    )
    bank[1].theme.name = "Renamed theme"
    bank[1].theme.save()

    items_after = list(
        QuestionSetItem.objects.filter(question_set=question_set).values_list(
            "pk", "text", "kind", "options", "required", "theme_name"
        )
    )
    assert items_after == items_before
    answer = Answer.objects.get()
    assert (answer.item_id, answer.choice, answer.evidence) == (item.pk, "good", "Seen.")
    assert answer.item.text == "Were the child's wishes recorded?"


def test_new_version_clones_a_frozen_set(business, bank, agency_a):
    question_set = questionset_create(actor=business, name="Core", questions=bank)
    opened_audit(business, question_set, agency_a)
    question_set.refresh_from_db()

    clone = questionset_new_version(question_set=question_set, actor=business)

    assert (clone.name, clone.version, clone.based_on, clone.is_frozen) == (
        "Core",
        2,
        question_set,
        False,
    )
    assert list(clone.items.values_list("text", flat=True)) == list(
        question_set.items.values_list("text", flat=True)
    )
    assert question_set.items.count() == 3


def test_new_version_of_unfrozen_set_is_refused(business, bank):
    question_set = questionset_create(actor=business, name="Core", questions=bank)

    with pytest.raises(ValidationError, match="not frozen"):
        questionset_new_version(question_set=question_set, actor=business)

    assert QuestionSet.objects.count() == 1


def test_create_set_in_the_browser(client_as, business, bank):
    response = client_as(business).post(
        reverse("audits:questionset-create"),
        {"name": "Neglect audit", "description": "", "questions": [bank[0].pk, bank[2].pk]},
    )

    question_set = QuestionSet.objects.get()
    assert response.status_code == 302
    assert question_set.items.count() == 2


def test_create_set_without_questions_shows_message(client_as, business, bank):
    response = client_as(business).post(
        reverse("audits:questionset-create"), {"name": "Neglect audit"}
    )

    assert "Choose at least one question for the set." in response.content.decode()
    assert not QuestionSet.objects.exists()


def test_set_form_groups_questions_by_theme(client_as, business, bank):
    response = client_as(business).get(reverse("audits:questionset-create"))

    body = response.content.decode()
    assert body.index("Recognition") < body.index("Voice of the child")


@pytest.mark.parametrize("n", [1, 3])
def test_questionset_list_query_count(client_as, business, django_assert_num_queries, n):
    for _ in range(n):
        QuestionSetFactory()
    client = client_as(business)

    with django_assert_num_queries(4):  # session, user, two-factor device, sets with counts
        response = client.get(reverse("audits:questionset-list"))

    assert response.status_code == 200


@pytest.mark.parametrize("role", ["practitioner", "other_practitioner", "board", "anonymous"])
def test_questionset_writes_refused_change_nothing(client_as, users, role, bank):
    question_set = QuestionSetFactory(name="Core")
    frozen = QuestionSetFactory(name="Old", frozen_at="2026-01-01T00:00:00Z")
    client = client_as(users[role])

    responses = [
        client.post(reverse("audits:questionset-create"), {"name": "X", "questions": [bank[0].pk]}),
        client.post(
            reverse("audits:questionset-edit", args=[question_set.pk]),
            {"name": "Changed", "questions": [bank[0].pk]},
        ),
        client.post(reverse("audits:questionset-new-version", args=[frozen.pk])),
    ]

    assert {r.status_code for r in responses} <= {302, 403}
    assert sorted(QuestionSet.objects.values_list("name", "version")) == [("Core", 1), ("Old", 1)]
    assert not QuestionSetItem.objects.exists()


def test_questionset_list_search_by_name_or_description(client_as, business):
    QuestionSetFactory(name="Neglect deep dive questions")
    QuestionSetFactory(name="Exploitation", description="For the neglect of teenagers")
    QuestionSetFactory(name="Domestic abuse")

    response = client_as(business).get(reverse("audits:questionset-list"), {"q": "neglect"})

    assert sorted(qs.name for qs in response.context["question_sets"]) == [
        "Exploitation",
        "Neglect deep dive questions",
    ]


def test_questionset_list_search_with_no_match_says_so(client_as, business):
    QuestionSetFactory(name="Domestic abuse")

    response = client_as(business).get(reverse("audits:questionset-list"), {"q": "zebra"})

    assert "No question set matches “zebra”." in response.content.decode()


@pytest.mark.parametrize("n", [1, 3])
def test_questionset_list_search_query_count(client_as, business, django_assert_num_queries, n):
    for i in range(n):
        QuestionSetFactory(name=f"Neglect {i}")
    QuestionSetFactory(name="Domestic abuse")
    client = client_as(business)

    with django_assert_num_queries(4):  # session, user, two-factor device, sets with counts
        response = client.get(reverse("audits:questionset-list"), {"q": "neglect"})

    assert len(response.context["question_sets"]) == n
