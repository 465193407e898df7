import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit
from cases.models import Partnership
from findings.models import Action
from findings.results import action_summary
from tests.factories import ActionFactory, AgencyFactory

from .results_builders import four_case_audit, sized_audit

pytestmark = pytest.mark.django_db


def _actions(audit: Audit) -> None:
    today = timezone.localdate()
    ActionFactory(audit=audit, status=Action.Status.OPEN)
    ActionFactory(audit=audit, status=Action.Status.OPEN, due_date=today - datetime.timedelta(1))
    ActionFactory(
        audit=audit, status=Action.Status.IN_PROGRESS, due_date=today - datetime.timedelta(3)
    )
    ActionFactory(audit=audit, status=Action.Status.DONE, due_date=today - datetime.timedelta(9))


def test_action_summary_counts_status_and_overdue():
    _actions(sized_audit(cases=1, agencies=[AgencyFactory()], status=Audit.Status.PUBLISHED))

    summary = action_summary()

    assert summary.total == 4
    assert [(f.label, f.count) for f in summary.by_status] == [
        ("Open", 2),
        ("In progress", 1),
        ("Done", 1),
    ]
    assert summary.overdue.display() == "50% (2 of 4)"  # done actions are never overdue


def test_action_summary_for_board_counts_published_audits_only():
    _actions(sized_audit(cases=1, agencies=[AgencyFactory()], status=Audit.Status.PUBLISHED))
    _actions(sized_audit(cases=1, agencies=[AgencyFactory()], status=Audit.Status.FINDINGS_AGREED))

    assert (action_summary().total, action_summary(for_board=True).total) == (8, 4)


def test_dashboard_for_board_shows_published_audits_only_and_no_case_data(board, client_as):
    published = four_case_audit(status=Audit.Status.PUBLISHED)
    sized_audit(cases=3, agencies=[AgencyFactory()], status=Audit.Status.MODERATION, title="Draft")

    response = client_as(board).get(reverse("findings:dashboard"))

    html = response.content.decode()
    assert published.audit.title in html
    assert "Draft" not in html
    for pseudonym in ("YP1", "YP2", "YP3", "YP4", "Child 0"):
        assert pseudonym not in html
    assert "No strategy discussion." not in html  # evidence is case-level: never here
    assert reverse("findings:results", args=[published.audit.pk]) not in html


def test_dashboard_for_business_links_each_audits_results(business, client_as):
    audit = sized_audit(cases=3, agencies=[AgencyFactory()], status=Audit.Status.MODERATION)

    response = client_as(business).get(reverse("findings:dashboard"))

    assert reverse("findings:results", args=[audit.pk]) in response.content.decode()


def test_dashboard_for_business_lists_only_the_latest_audits_and_links_the_programme(
    business, client_as, monkeypatch
):
    monkeypatch.setattr("findings.views.results.DASHBOARD_RECENT_AUDITS", 2)
    agency = AgencyFactory()
    audits = []
    for year in (2023, 2024, 2025):
        audit = sized_audit(cases=1, agencies=[agency], status=Audit.Status.CLOSED)
        audit.returns_open = datetime.date(year, 3, 1)
        audit.returns_due = datetime.date(year, 3, 29)
        audit.save()
        audits.append(audit)

    html = client_as(business).get(reverse("findings:dashboard")).content.decode()

    oldest, middle, newest = audits
    assert reverse("findings:results", args=[newest.pk]) in html
    assert reverse("findings:results", args=[middle.pk]) in html
    assert reverse("findings:results", args=[oldest.pk]) not in html
    assert reverse("audits:programme") in html


def test_dashboard_suppresses_small_counts_by_default(board, client_as):
    """A new partnership's threshold is 3: nothing is set here."""
    four_case_audit(status=Audit.Status.PUBLISHED)

    response = client_as(board).get(reverse("findings:dashboard"))

    html = response.content.decode()
    # Recognition: good 5 of 9 is shown; outstanding 1 and RI 2 are below 3.
    assert "56% (5 of 9)" in html
    assert "11% (1 of 9)" not in html
    assert "22% (2 of 9)" not in html
    assert "fewer than 3" in html


def test_dashboard_without_suppression_shows_every_count(board, client_as):
    four_case_audit(status=Audit.Status.PUBLISHED)
    Partnership.objects.update(suppression_threshold=0)

    response = client_as(board).get(reverse("findings:dashboard"))

    html = response.content.decode()
    assert "11% (1 of 9)" in html
    assert "fewer than" not in html


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("findings:dashboard"))
    assert response.status_code == 200
    return len(queries)


def test_dashboard_query_count_does_not_grow_with_audits(board, client_as):
    client = client_as(board)
    sized_audit(cases=2, agencies=[AgencyFactory()], status=Audit.Status.PUBLISHED, title="One")
    _dashboard_queries(client)
    one = _dashboard_queries(client)
    for title in ("Two", "Three"):
        sized_audit(cases=4, agencies=[AgencyFactory()], status=Audit.Status.CLOSED, title=title)

    three = _dashboard_queries(client)

    # session, user, partnership settings, theme trends (2), actions
    assert one == three


def test_dashboard_charts_are_inline_svg_with_their_text_alternative(board, client_as):
    four_case_audit(status=Audit.Status.PUBLISHED)

    html = client_as(board).get(reverse("findings:dashboard")).content.decode()

    assert 'src="data:image/svg+xml;base64,' not in html  # a quarter lighter inline
    charts = re.findall(
        r'<svg xmlns="http://www.w3.org/2000/svg" class="results-chart"[^>]*>', html
    )
    assert charts
    for tag in charts:
        assert 'role="img"' in tag
        assert "The same figures are in the table beside it." in tag
    assert "<style" not in html.split("<main", 1)[1]
