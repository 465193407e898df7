import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from auditportal.models import AuditEvent
from audits.models import Return
from findings import services
from findings.models import Finding
from findings.selectors import findings_of_audit, group_by_theme, themes_for_audit
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AnswerFactory,
    AuditFactory,
    FindingFactory,
    QuestionSetItemFactory,
    ReturnFactory,
    ThemeFactory,
)

# ---------------------------------------------------------------------------------------------
# Services


def test_finding_create_places_it_last_in_its_theme_and_logs(business):
    audit = AuditFactory()
    theme = ThemeFactory(name="Recording")
    first = services.finding_create(
        audit=audit, kind="strength", theme=theme, text="Chronologies kept", actor=business
    )

    second = services.finding_create(
        audit=audit, kind="strength", theme=theme, text="  Plans updated  ", actor=business
    )

    assert (first.order, second.order) == (1, 2)
    assert second.text == "Plans updated"
    assert AuditEvent.objects.filter(code="finding.created").count() == 2


@pytest.mark.parametrize("text", ["", "   "])
def test_finding_create_refuses_empty_text(business, text):
    audit = AuditFactory()

    with pytest.raises(ValidationError) as error:
        services.finding_create(
            audit=audit, kind="strength", theme=ThemeFactory(), text=text, actor=business
        )

    assert "text" in error.value.message_dict
    assert Finding.objects.count() == 0


def test_finding_create_refuses_no_theme(business):
    with pytest.raises(ValidationError) as error:
        services.finding_create(
            audit=AuditFactory(), kind="strength", theme=None, text="Good", actor=business
        )

    assert error.value.message_dict["theme"] == ["Choose the theme this finding is about."]
    assert Finding.objects.count() == 0


def test_finding_create_refuses_returns_of_another_audit(business):
    audit = AuditFactory()
    elsewhere = ReturnFactory()

    with pytest.raises(ValidationError):
        services.finding_create(
            audit=audit,
            kind="strength",
            theme=ThemeFactory(),
            text="Good",
            source_returns=[elsewhere],
            actor=business,
        )

    assert Finding.objects.count() == 0


def test_findings_are_ordered_by_theme_then_as_arranged(business):
    audit = AuditFactory()
    early = ThemeFactory(name="Recognition", order=1)
    late = ThemeFactory(name="Impact", order=9)
    a = services.finding_create(audit=audit, kind="strength", theme=late, text="a", actor=business)
    b = services.finding_create(audit=audit, kind="strength", theme=early, text="b", actor=business)
    c = services.finding_create(audit=audit, kind="strength", theme=late, text="c", actor=business)

    groups = group_by_theme(list(findings_of_audit(audit)))

    assert [(g.theme.name, [f.text for f in g.findings]) for g in groups] == [
        ("Recognition", ["b"]),
        ("Impact", ["a", "c"]),
    ]
    assert list(Finding.objects.filter(audit=audit)) == [b, a, c]


def test_finding_move_swaps_within_theme(business):
    audit = AuditFactory()
    theme = ThemeFactory()
    first = services.finding_create(
        audit=audit, kind="development", theme=theme, text="1", actor=business
    )
    second = services.finding_create(
        audit=audit, kind="development", theme=theme, text="2", actor=business
    )

    services.finding_move(finding=second, direction="up", actor=business)

    assert list(Finding.objects.filter(audit=audit).values_list("text", flat=True)) == ["2", "1"]
    first.refresh_from_db()
    assert first.order == 2
    assert AuditEvent.objects.filter(code="finding.moved").count() == 1


def test_finding_move_at_the_top_does_nothing(business):
    finding = services.finding_create(
        audit=AuditFactory(), kind="strength", theme=ThemeFactory(), text="1", actor=business
    )

    services.finding_move(finding=finding, direction="up", actor=business)

    finding.refresh_from_db()
    assert finding.order == 1


def test_finding_update_changes_kind_and_agencies(business):
    finding = FindingFactory(kind="strength")
    agency = AgencyFactory()

    services.finding_update(
        finding=finding,
        kind="development",
        theme=finding.theme,
        text="Now a development",
        agencies=[agency],
        actor=business,
    )

    finding.refresh_from_db()
    assert (finding.kind, finding.text) == ("development", "Now a development")
    assert list(finding.agencies.all()) == [agency]


def test_finding_delete_renumbers(business):
    audit = AuditFactory()
    theme = ThemeFactory()
    one = services.finding_create(
        audit=audit, kind="strength", theme=theme, text="1", actor=business
    )
    two = services.finding_create(
        audit=audit, kind="strength", theme=theme, text="2", actor=business
    )

    services.finding_delete(finding=one, actor=business)

    two.refresh_from_db()
    assert two.order == 1


def test_promote_prefills_from_the_answer(business):
    audit_return = ReturnFactory(status=Return.Status.SUBMITTED)
    item = QuestionSetItemFactory(
        question_set=audit_return.audit.question_set, question__theme__name="Voice of the child"
    )
    answer = AnswerFactory(
        audit_return=audit_return, item=item, choice="inadequate", evidence="Wishes not recorded."
    )

    finding = services.finding_promote_from_answer(answer=answer, actor=business)

    assert finding.audit == audit_return.audit
    assert finding.kind == Finding.Kind.DEVELOPMENT
    assert finding.theme.name == "Voice of the child"
    assert finding.text == "Wishes not recorded."
    assert list(finding.agencies.all()) == [audit_return.agency]
    assert list(finding.source_returns.all()) == [audit_return]
    assert AuditEvent.objects.filter(code="finding.promoted").count() == 1


def test_promote_a_good_grade_makes_a_strength(business):
    answer = AnswerFactory(choice="good", evidence="Plan reviewed monthly.")

    finding = services.finding_promote_from_answer(answer=answer, actor=business)

    assert finding.kind == Finding.Kind.STRENGTH


def test_promote_a_free_text_answer_uses_its_text(business):
    answer = AnswerFactory(choice="", evidence="", text="The family felt listened to.")

    finding = services.finding_promote_from_answer(answer=answer, actor=business)

    assert (finding.text, finding.kind) == ("The family felt listened to.", "development")


def test_promote_without_evidence_is_refused(business):
    answer = AnswerFactory(evidence="  ")

    with pytest.raises(ValidationError):
        services.finding_promote_from_answer(answer=answer, actor=business)

    assert Finding.objects.count() == 0


def test_promote_truncates_long_evidence(business):
    answer = AnswerFactory(evidence="x" * 3000)

    finding = services.finding_promote_from_answer(answer=answer, actor=business)

    assert len(finding.text) == 2000
    assert finding.text.endswith("…")


def test_themes_of_the_question_set_come_first(db):
    audit = AuditFactory()
    asked = ThemeFactory(name="Recording", order=5)
    other = ThemeFactory(name="Referrals", order=1)
    QuestionSetItemFactory(question_set=audit.question_set, question__theme=asked)

    used, others = themes_for_audit(audit)

    assert used == [asked]
    assert other in others and asked not in others


# ---------------------------------------------------------------------------------------------
# Views


def test_finding_list_groups_strengths_and_developments(client_as, business):
    audit = AuditFactory()
    FindingFactory(audit=audit, kind="strength", text="Good TAF attendance", theme__name="TAF")
    FindingFactory(audit=audit, kind="development", text="No chronology", theme__name="Recording")

    response = client_as(business).get(reverse("findings:finding-list", args=[audit.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert content.index("Areas working well") < content.index("Good TAF attendance")
    assert content.index("Areas for development") < content.index("No chronology")


def test_finding_create_view_saves(client_as, business):
    audit = AuditFactory()
    theme = ThemeFactory()

    response = client_as(business).post(
        reverse("findings:finding-create", args=[audit.pk]),
        {"kind": "strength", "theme": theme.pk, "text": "Plans were shared"},
    )

    finding = Finding.objects.get()
    assert response.status_code == 302
    assert response.url.endswith(f"#finding-{finding.pk}")
    assert (finding.audit, finding.theme, finding.text) == (audit, theme, "Plans were shared")
    assert finding.created_by == business


def test_finding_create_view_without_theme_or_text_shows_errors(client_as, business):
    audit = AuditFactory()

    response = client_as(business).post(
        reverse("findings:finding-create", args=[audit.pk]),
        {"kind": "strength", "theme": "", "text": "   "},
    )

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "Choose the theme this finding is about." in response.content.decode()
    assert Finding.objects.count() == 0


def test_finding_form_offers_audit_themes_first(client_as, business):
    audit = AuditFactory()
    asked = ThemeFactory(name="Zeta asked", order=50)
    ThemeFactory(name="Alpha other", order=1)
    QuestionSetItemFactory(question_set=audit.question_set, question__theme=asked)

    response = client_as(business).get(reverse("findings:finding-create", args=[audit.pk]))

    content = response.content.decode()
    assert content.index("Themes in this audit") < content.index("Zeta asked")
    assert content.index("Zeta asked") < content.index("Other themes")
    assert content.index("Other themes") < content.index("Alpha other")


def test_finding_update_view_saves(client_as, business):
    finding = FindingFactory()

    response = client_as(business).post(
        reverse("findings:finding-update", args=[finding.pk]),
        {"kind": "development", "theme": finding.theme_id, "text": "Edited"},
    )

    finding.refresh_from_db()
    assert response.status_code == 302
    assert (finding.kind, finding.text) == ("development", "Edited")


def test_finding_move_view(client_as, business):
    audit = AuditFactory()
    theme = ThemeFactory()
    FindingFactory(audit=audit, theme=theme, text="one", order=1)
    two = FindingFactory(audit=audit, theme=theme, text="two", order=2)

    response = client_as(business).post(
        reverse("findings:finding-move", args=[two.pk]), {"direction": "up"}
    )

    assert response.status_code == 302
    assert list(Finding.objects.values_list("text", flat=True)) == ["two", "one"]


def test_finding_delete_view(client_as, business):
    finding = FindingFactory()

    response = client_as(business).post(reverse("findings:finding-delete", args=[finding.pk]))

    assert response.status_code == 302
    assert Finding.objects.count() == 0


def test_promote_view_redirects_to_edit(client_as, business):
    answer = AnswerFactory(evidence="Clear plan with dates.")

    response = client_as(business).post(reverse("findings:finding-promote", args=[answer.pk]))

    finding = Finding.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("findings:finding-update", args=[finding.pk])


def test_promote_view_honours_kind(client_as, business):
    answer = AnswerFactory(choice="good", evidence="Clear plan with dates.")

    client_as(business).post(
        reverse("findings:finding-promote", args=[answer.pk]), {"kind": "development"}
    )

    assert Finding.objects.get().kind == "development"


def test_promote_view_without_evidence_shows_message(client_as, business):
    answer = AnswerFactory(evidence="")

    response = client_as(business).post(
        reverse("findings:finding-promote", args=[answer.pk]), follow=True
    )

    assert "no evidence text" in response.content.decode()
    assert Finding.objects.count() == 0


def test_promote_view_refuses_get(client_as, business):
    answer = AnswerFactory(evidence="Something")

    response = client_as(business).get(reverse("findings:finding-promote", args=[answer.pk]))

    assert response.status_code == 405
    assert Finding.objects.count() == 0


@pytest.mark.parametrize("n", [1, 3])
def test_finding_list_query_count(client_as, business, n, django_assert_num_queries):
    audit = AuditFactory()
    for _ in range(n):
        finding = FindingFactory(audit=audit)
        finding.agencies.add(AgencyFactory())
        finding.source_returns.add(ReturnFactory(case__audit=audit))
        ActionFactory(audit=audit).findings.add(finding)
    client = client_as(business)
    client.get(reverse("findings:finding-list", args=[audit.pk]))  # warm the session

    # session, user, OTP device, audit, findings, their agencies, their source returns (with
    # case and agency), actions, their findings, the access row
    with django_assert_num_queries(10):
        response = client.get(reverse("findings:finding-list", args=[audit.pk]))

    assert response.status_code == 200


def test_finding_list_shows_source_returns_for_tracing(client_as, business):
    audit = AuditFactory()
    audit_return = ReturnFactory(case__audit=audit, case__pseudonym="YP7", agency__short_name="GP")
    FindingFactory(audit=audit).source_returns.add(audit_return)

    response = client_as(business).get(reverse("findings:finding-list", args=[audit.pk]))

    assert "Source (for tracing only, never printed): YP7 – GP" in response.content.decode()


def test_finding_form_lists_source_returns_as_case_and_agency_with_their_evidence(
    client_as, business
):
    audit = AuditFactory()
    item = QuestionSetItemFactory(question_set=audit.question_set, text="Was the child seen?")
    with_evidence = ReturnFactory(
        case__audit=audit, case__pseudonym="Child B", agency__name="Riverbend Police"
    )
    AnswerFactory(audit_return=with_evidence, item=item, evidence="Seen at school, twice.")
    ReturnFactory(case__audit=audit, case__pseudonym="Child A", agency__name="Riverbend CSC")
    ReturnFactory(case__pseudonym="Elsewhere child")  # another audit's

    response = client_as(business).get(reverse("findings:finding-create", args=[audit.pk]))

    body = " ".join(response.content.decode().split())
    choices = response.context["form"].source_return_choices()
    assert [(r.case.pseudonym, ticked) for r, ticked in choices] == [
        ("Child A", False),
        ("Child B", False),
    ]
    assert "Child B · Riverbend Police" in body
    assert "Evidence in this return (1)" in body
    assert "Seen at school, twice." in body
    assert "No evidence written in this return." in body
    assert "Elsewhere child" not in body
    assert 'data-filter-list="source-returns-list"' in body


def test_finding_form_ticks_the_chosen_source_returns_and_saves_them(client_as, business):
    audit = AuditFactory()
    theme = ThemeFactory()
    chosen = ReturnFactory(case__audit=audit)
    other = ReturnFactory(case__audit=audit)
    data = {"kind": "strength", "theme": theme.pk, "text": "Plans were shared"}

    response = client_as(business).post(
        reverse("findings:finding-create", args=[audit.pk]), {**data, "source_returns": [chosen.pk]}
    )

    finding = Finding.objects.get()
    assert response.status_code == 302
    assert list(finding.source_returns.all()) == [chosen]
    edit = client_as(business).get(reverse("findings:finding-update", args=[finding.pk]))
    choices = edit.context["form"].source_return_choices()
    assert {r.pk: ticked for r, ticked in choices} == {chosen.pk: True, other.pk: False}
