from django.utils import timezone

from demo import agencies as cases_demo
from demo import findings as demo
from demo import users as accounts_demo
from findings.models import Action, Engagement, Finding, Quote, Resource, SubGroup
from findings.selectors import consented_quotes, engagement_figures
from tests.factories import AuditFactory, ThemeFactory


def _counts() -> tuple:
    return tuple(
        m.objects.count() for m in (Finding, Action, Engagement, Quote, Resource, SubGroup)
    )


def _business_team_and_agencies() -> None:
    """The demo's people: the findings demo writes as `business`, through the services."""
    accounts_demo.load(cases_demo.load())


def test_demo_gives_the_published_audit_findings_actions_and_voice(db):
    _business_team_and_agencies()
    for order, (_, theme_name, _, _) in enumerate(demo.FINDINGS):
        ThemeFactory(name=theme_name, order=order)
    audit = AuditFactory(title=demo.PUBLISHED, status="published")

    demo.load()
    first = _counts()
    demo.load()

    assert _counts() == first  # idempotent
    strengths = Finding.objects.filter(audit=audit, kind="strength").count()
    developments = Finding.objects.filter(audit=audit, kind="development").count()
    assert 3 <= strengths <= 4 and 3 <= developments <= 4
    actions = Action.objects.filter(audit=audit)
    assert set(actions.values_list("status", flat=True)) == {"open", "in_progress", "done"}
    assert actions.filter(status="done").exclude(completion_evidence="").count() == 2
    assert actions.filter(due_date__lt=timezone.localdate()).exclude(status="done").exists()
    assert actions.filter(owner_subgroup__isnull=False).exists()
    assert actions.filter(owner_agency__isnull=False).exists()
    assert consented_quotes(audit).count() == 3
    assert Quote.objects.filter(audit=audit).count() == 4
    assert engagement_figures(audit.engagement).children.display() == "38% (9 of 24)"
    assert Resource.objects.filter(active=True).count() == 6
    assert set(SubGroup.objects.values_list("name", flat=True)) == {
        "Safeguarding in Education",
        "Learning and Improvement",
        "Health Sub-group",
    }


def test_demo_without_the_published_audit_adds_only_shared_lists(db):
    _business_team_and_agencies()
    demo.load()

    assert (Finding.objects.count(), SubGroup.objects.count(), Resource.objects.count()) == (
        0,
        3,
        6,
    )


def test_demo_action_due_dates_are_working_days(db):
    import datetime

    import time_machine

    _business_team_and_agencies()
    AuditFactory(title=demo.PUBLISHED, status="published")

    # 30 days on is Christmas Day, 45 days on a Saturday
    with time_machine.travel(datetime.datetime(2026, 11, 25, 9), tick=False):
        demo.load()

    due = list(Action.objects.values_list("due_date", flat=True))
    assert due
    assert all(day.weekday() < 5 for day in due)
    assert not [d for d in due if (d.month, d.day) in {(12, 25), (12, 26), (1, 1)}]


def test_demo_findings_are_written_through_the_services_on_the_trail(db):
    from auditportal.models import AuditEvent

    _business_team_and_agencies()
    for order, (_, theme_name, _, _) in enumerate(demo.FINDINGS):
        ThemeFactory(name=theme_name, order=order)
    AuditFactory(title=demo.PUBLISHED, status="published")

    demo.load()

    codes = set(
        AuditEvent.objects.filter(actor__username="business").values_list("code", flat=True)
    )
    assert {
        "finding.created",
        "action.created",
        "action.status_changed",
        "engagement.saved",
        "quote.created",
        "resource.created",
        "subgroup.created",
    } <= codes
