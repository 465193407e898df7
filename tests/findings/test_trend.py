import datetime

import pytest
from django.urls import reverse

from audits.models import Audit, Theme
from findings.results import theme_trend, theme_trends
from tests.factories import AgencyFactory

from .results_builders import sized_audit

pytestmark = pytest.mark.django_db


def _dated(audit: Audit, year: int) -> Audit:
    audit.returns_open = datetime.date(year, 3, 1)
    audit.returns_due = datetime.date(year, 3, 29)
    audit.save()
    return audit


def _three_audits():
    agency = AgencyFactory()
    newest = _dated(
        sized_audit(cases=2, agencies=[agency], status=Audit.Status.OPEN, title="Spring 2026"), 2026
    )
    oldest = _dated(
        sized_audit(cases=5, agencies=[agency], status=Audit.Status.CLOSED, title="Spring 2024"),
        2024,
    )
    middle = _dated(
        sized_audit(
            cases=10, agencies=[agency], status=Audit.Status.PUBLISHED, title="Spring 2025"
        ),
        2025,
    )
    return oldest, middle, newest


def test_theme_trend_lists_audits_oldest_first():
    _three_audits()
    theme = Theme.objects.get(name="Information sharing")

    points = theme_trend(theme=theme)

    assert [p.audit_title for p in points] == ["Spring 2024", "Spring 2025", "Spring 2026"]
    # Grades cycle outstanding, good, RI, inadequate, N/A over the returns.
    assert [(p.answered, p.not_applicable) for p in points] == [(4, 1), (8, 2), (2, 0)]
    assert points[1].grades[0].display() == "25% (2 of 8)"


def test_theme_trend_for_board_keeps_published_and_closed_audits():
    _three_audits()
    theme = Theme.objects.get(name="Information sharing")

    points = theme_trend(theme=theme, for_board=True)

    assert [p.audit_title for p in points] == ["Spring 2024", "Spring 2025"]


def test_theme_trends_take_two_queries_whatever_the_number_of_audits(
    django_assert_num_queries,
):
    _three_audits()

    with django_assert_num_queries(2):  # audits that asked each theme, answer counts
        trends = theme_trends()

    assert [t.theme_name for t in trends] == ["Information sharing"]


def test_theme_trends_latest_keeps_each_themes_newest_audits_oldest_first(
    django_assert_num_queries,
):
    _three_audits()

    with django_assert_num_queries(2):  # each theme's latest audits (ranked in SQL), counts
        trends = theme_trends(latest=2)

    points = trends[0].points
    assert [p.audit_title for p in points] == ["Spring 2025", "Spring 2026"]
    assert [(p.answered, p.not_applicable) for p in points] == [(8, 2), (2, 0)]


def test_theme_trends_latest_for_board_ranks_only_published_and_closed_audits():
    _three_audits()

    trends = theme_trends(for_board=True, latest=1)

    assert [p.audit_title for p in trends[0].points] == ["Spring 2025"]


def test_theme_never_asked_has_no_trend():
    theme = Theme.objects.create(name="Escalation", order=9)

    assert theme_trend(theme=theme) == []


def test_trend_page_shows_chart_and_table(business, client_as):
    _three_audits()
    theme = Theme.objects.get(name="Information sharing")

    response = client_as(business).get(reverse("findings:trend", args=[theme.pk]))

    html = response.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert html.index("Spring 2024") < html.index("Spring 2025") < html.index("Spring 2026")
    assert "25% (2 of 8)" in html


def test_trend_page_for_board_hides_unpublished_audits(board, client_as):
    _three_audits()
    theme = Theme.objects.get(name="Information sharing")

    response = client_as(board).get(reverse("findings:trend", args=[theme.pk]))

    html = response.content.decode()
    assert "Spring 2025" in html
    assert "Spring 2026" not in html
    assert "Child 0" not in html
