"""Returns services: creation and assignment on opening, reassignment, drafts, the
optimistic-concurrency check, and refusals of bad input."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audits.answers import AnswerValue
from audits.models import Answer, AnswerTick, Return
from audits.services import (
    ReturnConflict,
    return_reassign,
    return_save_draft,
    returns_create_for_audit,
)
from tests.factories import AuditFactory, CaseAgencyFactory, UserFactory

from .returns_builders import build_open_audit


def test_returns_created_for_each_involvement_and_assigned_lead_first(
    practitioner,
    agency_lead,
    other_practitioner,
    agency_a,
    agency_b,
    django_capture_on_commit_callbacks,
):
    audit = AuditFactory(status="open")
    involvement = CaseAgencyFactory(case__audit=audit, agency=agency_a)
    CaseAgencyFactory(case=involvement.case, agency=agency_b)
    empty_agency = CaseAgencyFactory(case=involvement.case).agency

    with django_capture_on_commit_callbacks(execute=True):
        created = returns_create_for_audit(audit=audit)

    assignees = {r.agency_id: r.assignee_id for r in Return.objects.filter(audit=audit)}
    assert len(created) == 3
    assert assignees == {
        agency_a.pk: agency_lead.pk,
        agency_b.pk: other_practitioner.pk,
        empty_agency.pk: None,
    }
    # Every practitioner of an involved agency is told, not only the assignees.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [agency_lead.email, practitioner.email, other_practitioner.email]
    )


def test_returns_without_lead_go_to_first_member(agency_a):
    first = UserFactory(agencies=[agency_a])
    UserFactory(agencies=[agency_a])
    audit = AuditFactory(status="open")
    CaseAgencyFactory(case__audit=audit, agency=agency_a)

    returns_create_for_audit(audit=audit)

    assert Return.objects.get(audit=audit).assignee == first


def test_creating_returns_twice_adds_none_and_emails_once(
    practitioner, agency_a, django_capture_on_commit_callbacks
):
    audit = AuditFactory(status="open")
    CaseAgencyFactory(case__audit=audit, agency=agency_a)

    with django_capture_on_commit_callbacks(execute=True):
        returns_create_for_audit(audit=audit)
    with django_capture_on_commit_callbacks(execute=True):
        again = returns_create_for_audit(audit=audit)

    assert again == []
    assert Return.objects.filter(audit=audit).count() == 1
    assert len(mail.outbox) == 1
    assert "Riverbend child" not in mail.outbox[0].body
    assert audit.title in mail.outbox[0].subject


def test_reassign_by_agency_lead_emails_new_assignee(
    agency_lead, agency_a, django_capture_on_commit_callbacks
):
    colleague = UserFactory(agencies=[agency_a])
    built = build_open_audit(agencies=[agency_a])
    audit_return = built.return_for(agency_a)

    with django_capture_on_commit_callbacks(execute=True):
        return_reassign(audit_return=audit_return, actor=agency_lead, assignee=colleague)

    assert Return.objects.get(pk=audit_return.pk).assignee == colleague
    assert [m.to for m in mail.outbox] == [[colleague.email]]


def test_reassign_refused_for_plain_member_and_other_agency(
    practitioner, other_practitioner, agency_a
):
    built = build_open_audit(agencies=[agency_a])
    audit_return = built.return_for(agency_a)

    for actor in (practitioner, other_practitioner):
        with pytest.raises(PermissionDenied):
            return_reassign(audit_return=audit_return, actor=actor, assignee=practitioner)

    assert Return.objects.get(pk=audit_return.pk).assignee is None


def _values(built, **kw):
    items = built.items
    return {
        items["grade"].pk: AnswerValue(choice=kw.get("grade", ""), evidence=kw.get("evidence", "")),
        items["ynp"].pk: AnswerValue(choice=kw.get("ynp", "")),
        items["checklist"].pk: AnswerValue(ticks=frozenset(kw.get("ticks", []))),
        items["number"].pk: AnswerValue(number=kw.get("number")),
        items["text"].pk: AnswerValue(text=kw.get("text", "")),
    }


def test_save_draft_writes_answers_and_increments_version(practitioner, agency_a):
    built = build_open_audit(agencies=[agency_a])
    audit_return = built.return_for(agency_a)

    saved = return_save_draft(
        audit_return=audit_return,
        actor=practitioner,
        data=_values(built, grade="good", ticks=["Neglect", "Young carer"], number=Decimal("4")),
        base_version=0,
    )

    assert (saved.version, saved.status) == (1, Return.Status.IN_PROGRESS)
    assert Answer.objects.get(audit_return=audit_return, item=built.items["grade"]).choice == "good"
    assert set(AnswerTick.objects.values_list("option", flat=True)) == {"Neglect", "Young carer"}
    assert Answer.objects.get(item=built.items["number"]).number == Decimal("4")


def test_save_draft_unticks_removed_options(practitioner, agency_a):
    built = build_open_audit(agencies=[agency_a])
    audit_return = built.return_for(agency_a)
    return_save_draft(
        audit_return=audit_return,
        actor=practitioner,
        data=_values(built, ticks=["Neglect"]),
        base_version=0,
    )

    return_save_draft(
        audit_return=audit_return,
        actor=practitioner,
        data=_values(built, ticks=["Young carer"]),
        base_version=1,
    )

    assert list(AnswerTick.objects.values_list("option", flat=True)) == ["Young carer"]


def _save_queries(audit_return, actor, data, base_version) -> int:
    with CaptureQueriesContext(connection) as queries:
        return_save_draft(
            audit_return=audit_return, actor=actor, data=data, base_version=base_version
        )
    return len(queries)


def test_save_draft_queries_do_not_grow_with_changed_answers(practitioner, agency_a):
    built = build_open_audit(agencies=[agency_a])
    audit_return = built.return_for(agency_a)
    return_save_draft(
        audit_return=audit_return,
        actor=practitioner,
        data=_values(built, grade="inadequate", ynp="no", number=Decimal("1"), text="None."),
        base_version=0,
    )

    one = _save_queries(
        audit_return,
        practitioner,
        _values(built, grade="good", ynp="no", number=Decimal("1"), text="None."),
        1,
    )
    four = _save_queries(
        audit_return,
        practitioner,
        _values(built, grade="outstanding", ynp="yes", number=Decimal("2"), text="Seen."),
        2,
    )

    # membership, items, version update, answers, ticks, answer update, history, return,
    # event (and a savepoint): the same for one changed answer or four
    assert one == four
    answers = {a.item_id: a for a in Answer.objects.filter(audit_return=audit_return)}
    assert answers[built.items["grade"].pk].choice == "outstanding"
    assert answers[built.items["ynp"].pk].choice == "yes"
    assert answers[built.items["number"].pk].number == Decimal("2")
    assert answers[built.items["text"].pk].text == "Seen."


def test_save_draft_history_names_the_actor_for_each_changed_answer(practitioner, agency_a):
    built = build_open_audit(agencies=[agency_a])
    audit_return = built.return_for(agency_a)
    return_save_draft(
        audit_return=audit_return,
        actor=practitioner,
        data=_values(built, grade="requires_improvement", ynp="partly"),
        base_version=0,
    )

    return_save_draft(
        audit_return=audit_return,
        actor=practitioner,
        data=_values(built, grade="good", ynp="partly", evidence="Wishes recorded.", text="Seen."),
        base_version=1,
    )

    grade = Answer.objects.get(audit_return=audit_return, item=built.items["grade"])
    latest = grade.history.order_by("-history_id").first()
    assert (latest.history_user, latest.choice, latest.evidence) == (
        practitioner,
        "good",
        "Wishes recorded.",
    )
    # Created on the first save, changed on the second: two rows; unchanged answers keep one.
    assert grade.history.count() == 2
    ynp = Answer.objects.get(audit_return=audit_return, item=built.items["ynp"])
    assert ynp.history.count() == 1
    assert ynp.history.get().history_user == practitioner


def test_save_draft_ticks_and_unticks_in_one_save(practitioner, agency_a):
    built = build_open_audit(agencies=[agency_a])
    audit_return = built.return_for(agency_a)
    return_save_draft(
        audit_return=audit_return,
        actor=practitioner,
        data=_values(built, ticks=["Neglect", "Young carer"]),
        base_version=0,
    )

    return_save_draft(
        audit_return=audit_return,
        actor=practitioner,
        data=_values(built, ticks=["Young carer", "Domestic abuse"]),
        base_version=1,
    )

    assert set(AnswerTick.objects.values_list("option", flat=True)) == {
        "Young carer",
        "Domestic abuse",
    }


def test_two_saves_from_same_base_one_wins_other_refused_nothing_lost(
    practitioner, agency_lead, agency_a
):
    built = build_open_audit(agencies=[agency_a])
    audit_return = built.return_for(agency_a)
    first = _values(built, grade="good", text="First auditor's note.")
    second = _values(built, grade="inadequate", text="Second auditor's note.")

    return_save_draft(audit_return=audit_return, actor=practitioner, data=first, base_version=0)
    with pytest.raises(ReturnConflict) as conflict:
        return_save_draft(
            audit_return=Return.objects.get(pk=audit_return.pk),
            actor=agency_lead,
            data=second,
            base_version=0,
            base_data=_values(built),
        )

    saved = {a.item_id: a for a in Answer.objects.filter(audit_return=audit_return)}
    assert Return.objects.get(pk=audit_return.pk).version == 1
    assert saved[built.items["grade"].pk].choice == "good"
    assert saved[built.items["text"].pk].text == "First auditor's note."
    assert [c.question for c in conflict.value.changed] == [
        built.items["grade"].text,
        built.items["text"].text,
    ]
    assert conflict.value.changed[0].saved == "Good"
    assert conflict.value.changed[0].yours == "Inadequate"
    assert str(practitioner) in conflict.value.messages[0]


def test_conflict_with_own_other_tab_says_so_and_names_nobody(practitioner, agency_a):
    built = build_open_audit(agencies=[agency_a])
    audit_return = built.return_for(agency_a)
    return_save_draft(
        audit_return=audit_return,
        actor=practitioner,
        data=_values(built, grade="good"),
        base_version=0,
    )

    with pytest.raises(ReturnConflict) as conflict:
        return_save_draft(
            audit_return=Return.objects.get(pk=audit_return.pk),
            actor=practitioner,
            data=_values(built, grade="inadequate", text="Typed in the first tab."),
            base_version=0,
            base_data=_values(built),
        )

    message = conflict.value.messages[0]
    assert conflict.value.same_user
    assert message.startswith("This return was saved in another tab or window at ")
    assert str(practitioner) not in message
    assert [c.sentence for c in conflict.value.changed] == [
        f"The saved answer to “{built.items['grade'].text}” is “Good”; this page has “Inadequate”."
    ]


def test_conflict_differences_read_as_sentences_without_an_answer_on_either_side():
    from audits.services.returns import ChangedQuestion

    def sentence(saved, yours):
        return ChangedQuestion(1, "q", "Was the child seen?", saved, yours).sentence

    assert sentence("no answer", "Yes") == (
        "“Was the child seen?” has no saved answer; this page has “Yes”."
    )
    assert sentence("Partly", "no answer") == (
        "The saved answer to “Was the child seen?” is “Partly”; this page leaves it unanswered."
    )


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("grade", AnswerValue(choice="brilliant")),
        ("ynp", AnswerValue(choice="good")),
        ("checklist", AnswerValue(ticks=frozenset({"Not an option"}))),
        ("number", AnswerValue(text="four")),
        ("number", AnswerValue(number=Decimal("1.234"))),
        ("number", AnswerValue(number=Decimal("1e12"))),
        ("text", AnswerValue(choice="good")),
        ("text", AnswerValue(text="x" * 5001)),
        ("grade", AnswerValue(choice="good", evidence="x" * 5001)),
    ],
)
def test_wrong_type_or_oversize_answer_refused_and_nothing_saved(
    practitioner, agency_a, kind, value
):
    built = build_open_audit(agencies=[agency_a])
    audit_return = built.return_for(agency_a)
    data = _values(built, grade="good")
    data[built.items[kind].pk] = value

    with pytest.raises(ValidationError) as error:
        return_save_draft(audit_return=audit_return, actor=practitioner, data=data, base_version=0)

    assert built.items[kind].text in error.value.messages[0]
    assert Return.objects.get(pk=audit_return.pk).version == 0
    assert Answer.objects.count() == 0


def test_save_draft_refused_for_other_agency_and_business(other_practitioner, business, agency_a):
    built = build_open_audit(agencies=[agency_a])
    audit_return = built.return_for(agency_a)

    for actor in (other_practitioner, business):
        with pytest.raises(PermissionDenied):
            return_save_draft(
                audit_return=audit_return,
                actor=actor,
                data=_values(built, grade="good"),
                base_version=0,
            )

    assert Answer.objects.count() == 0
