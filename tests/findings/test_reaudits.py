"""Re-audits linked to actions: scheduling (refused before publication), the same or new
children, and the before → after figures with their counts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from auditportal.models import AuditEvent
from audits.models import Audit, Return
from findings.models import ReAudit
from findings.reaudit_results import reaudit_comparison
from findings.reaudits import reaudit_schedule

from .reaudit_builders import answer_returns, new_children, open_audit, published_source

pytestmark = pytest.mark.django_db

AFTER_PLAN = (
    [("requires_improvement", "no", ["Neglect"])] * 2
    + [("inadequate", "no", ["Neglect"])]
    + [("good", "yes", ["Neglect"])]
    + [("good", "yes", [])] * 6
)


def _schedule(source, business, *, same_children: bool) -> ReAudit:
    return reaudit_schedule(
        source=source.audit,
        actor=business,
        actions=[source.action],
        title="Voice of the child re-audit 2026",
        returns_open=datetime.date(2026, 3, 2),
        returns_due=datetime.date(2026, 3, 27),
        same_children=same_children,
    )


def _figures(comparison) -> dict[str, str]:
    changes = [c for t in comparison.themes for c in (t.good, t.poor)]
    changes += comparison.questions + comparison.risk_factors
    return {change.label: change.display() for change in changes}


def test_a_reaudit_with_the_same_children_compares_before_and_after(business):
    source = published_source()
    reaudit = _schedule(source, business, same_children=True)
    open_audit(reaudit.audit, business)
    answer_returns(reaudit.audit, AFTER_PLAN)  # 10 of the 15 children's returns submitted

    comparison = reaudit_comparison(reaudit, use_moderated=True)

    assert _figures(comparison) == {
        "Voice of the child, Good or Outstanding": "47% (7 of 15) → 70% (7 of 10)",
        "Voice of the child, Requires improvement or Inadequate": "53% (8 of 15) → 30% (3 of 10)",
        "Was the child seen alone?: Yes": "40% (6 of 15) → 70% (7 of 10)",
        "Was the child seen alone?: No": "60% (9 of 15) → 30% (3 of 10)",
        "Neglect": "60% (9 of 15) → 40% (4 of 10)",
        "Domestic abuse": "13% (2 of 15) → 0% (0 of 10)",
    }
    assert not comparison.small_numbers
    assert [a.pk for a in comparison.actions] == [source.action.pk]


def test_the_same_children_are_sampled_again_with_their_agencies_and_new_returns(business):
    source = published_source()

    reaudit = _schedule(source, business, same_children=True)
    open_audit(reaudit.audit, business)

    audit = reaudit.audit
    assert audit.status == Audit.Status.PLANNED or audit.status == Audit.Status.OPEN
    assert sorted(audit.cases.values_list("pseudonym", flat=True)) == [
        f"VC{n:02d}" for n in range(1, 16)
    ]
    new_returns = Return.objects.filter(audit=audit)
    assert new_returns.count() == 15
    assert set(new_returns.values_list("status", flat=True)) == {Return.Status.NOT_STARTED}
    assert set(new_returns.values_list("agency", flat=True)) == {source.agency.pk}
    # The same children: no second child made for a pseudonym.
    assert source.audit.cases.count() == 15
    assert set(audit.cases.all()) == set(source.audit.cases.all())


def test_a_reaudit_with_different_children_compares_the_new_sample(business):
    source = published_source()
    reaudit = _schedule(source, business, same_children=False)
    assert reaudit.audit.cases.count() == 0
    new_children(reaudit.audit, source.agency, business, 12)
    open_audit(reaudit.audit, business)
    answer_returns(reaudit.audit, AFTER_PLAN + [("good", "yes", [])] * 2)

    comparison = reaudit_comparison(reaudit, use_moderated=True)

    figures = _figures(comparison)
    assert figures["Voice of the child, Requires improvement or Inadequate"] == (
        "53% (8 of 15) → 25% (3 of 12)"
    )
    assert figures["Neglect"] == "60% (9 of 15) → 33% (4 of 12)"
    assert not comparison.small_numbers


def test_fewer_than_ten_on_a_side_is_flagged_as_small_numbers(business, client_as):
    source = published_source()
    reaudit = _schedule(source, business, same_children=False)
    new_children(reaudit.audit, source.agency, business, 4)
    open_audit(reaudit.audit, business)
    answer_returns(reaudit.audit, AFTER_PLAN[:4])

    comparison = reaudit_comparison(reaudit, use_moderated=True)
    html = client_as(business).get(reverse("findings:reaudit-results", args=[reaudit.audit.pk]))

    assert comparison.small_numbers
    assert _figures(comparison)["Voice of the child, Requires improvement or Inadequate"] == (
        "53% (8 of 15) → 75% (3 of 4)"
    )
    text = html.content.decode()
    assert "fewer than 10" in text
    assert "not evidence that practice changed" in text


@pytest.mark.parametrize(
    "status", [Audit.Status.OPEN, Audit.Status.MODERATION, Audit.Status.FINDINGS_AGREED]
)
def test_a_reaudit_of_an_unpublished_audit_is_refused_with_the_reason(business, status):
    source = published_source(status=status)
    audits_before = Audit.objects.count()

    with pytest.raises(ValidationError) as refused:
        _schedule(source, business, same_children=True)

    assert "not published" in refused.value.messages[0]
    assert Audit.objects.count() == audits_before
    assert ReAudit.objects.count() == 0


def test_scheduling_from_an_action_prefills_its_themes_questions_and_children(business, client_as):
    source = published_source()
    client = client_as(business)
    url = reverse("findings:action-reaudit", args=[source.action.pk])

    form = client.get(url)
    response = client.post(
        url,
        {
            "title": "Voice of the child re-audit 2026",
            "returns_open": "2026-03-02",
            "returns_due": "2026-03-27",
            "same_children": "on",
            "actions": [source.action.pk],
        },
    )

    reaudit = ReAudit.objects.get()
    assert form.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == reverse("audits:audit-detail", args=[reaudit.audit.pk])
    assert reaudit.audit.status == Audit.Status.PLANNED
    assert list(reaudit.actions.all()) == [source.action]
    assert [t.name for t in reaudit.themes.all()] == ["Voice of the child"]
    asked = set(reaudit.audit.question_set.items.values_list("question_id", flat=True))
    # The theme's questions and the checklist, not the unrelated Recognition question.
    assert asked == {source.grade.pk, source.seen_alone.pk, source.factors.pk}
    assert reaudit.audit.cases.count() == 15
    assert AuditEvent.objects.filter(code="audit.reaudit_scheduled").count() == 1


def test_the_form_of_an_unpublished_audit_says_why_and_saves_nothing(business, client_as):
    source = published_source(status=Audit.Status.MODERATION)
    client = client_as(business)
    url = reverse("findings:finding-reaudit", args=[source.finding.pk])

    page = client.get(url).content.decode()
    response = client.post(
        url,
        {
            "title": "Too early",
            "returns_open": "2026-03-02",
            "returns_due": "2026-03-27",
            "actions": [source.action.pk],
        },
    )

    assert "not published" in page
    assert response.status_code == 400
    assert "not published" in response.content.decode()
    assert ReAudit.objects.count() == 0


def test_bad_dates_are_a_message_on_the_page_and_nothing_is_saved(business, client_as):
    source = published_source()
    audits_before = Audit.objects.count()

    response = client_as(business).post(
        reverse("findings:action-reaudit", args=[source.action.pk]),
        {"title": "Backwards", "returns_open": "2026-03-27", "returns_due": "2026-03-02"},
    )

    assert response.status_code == 400
    assert "Returns must be due on or after the date they open." in response.content.decode()
    assert Audit.objects.count() == audits_before


@pytest.mark.parametrize("reaudits", [1, 3])
def test_the_dashboard_shows_did_practice_change_in_constant_queries(
    business, board, client_as, django_assert_num_queries, reaudits
):
    source = published_source()
    for n in range(reaudits):
        reaudit = reaudit_schedule(
            source=source.audit,
            actor=business,
            actions=[source.action],
            title=f"Re-audit {n}",
            returns_open=datetime.date(2026, 3, 2),
            returns_due=datetime.date(2026, 3, 27),
            same_children=True,
        )
        open_audit(reaudit.audit, business)
        answer_returns(reaudit.audit, AFTER_PLAN)
        Audit.objects.filter(pk=reaudit.audit.pk).update(status=Audit.Status.PUBLISHED)
    client = client_as(board)

    # session, user, two-factor device, partnership; theme trends (2), actions; re-audits,
    # their themes, their actions, the grade counts
    with django_assert_num_queries(11):
        response = client.get(reverse("findings:dashboard"))

    rows = response.context["practice_changes"]
    assert len(rows) == reaudits
    assert rows[0]["themes"][0].poor.display(3) == "53% (8 of 15) → 30% (3 of 10)"
    assert "Did practice change?" in response.content.decode()
    assert "53% (8 of 15) → 30% (3 of 10)" in response.content.decode()
    assert "VC01" not in response.content.decode()


def test_the_reaudits_briefing_prefills_what_changed_in_point_1(business):
    from briefings.data import prefill_summary

    source = published_source()
    reaudit = _schedule(source, business, same_children=True)
    open_audit(reaudit.audit, business)
    answer_returns(reaudit.audit, AFTER_PLAN)

    summary = prefill_summary(reaudit.audit)

    paragraph = summary[summary.index("**What changed since the last audit.**") :]
    assert paragraph == (
        "**What changed since the last audit.** This audit followed up Voice of the child deep "
        "dive 2025 (March 2025) with the same children, counting moderated grades where "
        "recorded.\n\n"
        "- Voice of the child, Requires improvement or Inadequate: 53% (8 of 15) → 30% (3 of 10)\n"
        "- Actions it tested that are done: 0 of 1"
    )
    assert "VC0" not in summary


def test_a_briefing_of_an_audit_that_is_no_reaudit_has_no_change_paragraph():
    from briefings.data import prefill_summary

    source = published_source()

    assert "What changed" not in prefill_summary(source.audit)


@pytest.mark.parametrize("children", [4, 12])
def test_the_reaudit_page_takes_the_same_queries_however_many_children(
    business, client_as, django_assert_num_queries, children
):
    source = published_source()
    reaudit = _schedule(source, business, same_children=False)
    new_children(reaudit.audit, source.agency, business, children)
    open_audit(reaudit.audit, business)
    answer_returns(reaudit.audit, (AFTER_PLAN * 2)[:children])
    client = client_as(business)

    # session, user, two-factor device, audit, re-audit, its themes, its actions,
    # partnership; results of each audit (one statement each), grade counts by theme, the items'
    # bank questions, the actions in between
    with django_assert_num_queries(13):
        response = client.get(reverse("findings:reaudit-results", args=[reaudit.audit.pk]))

    assert response.status_code == 200
