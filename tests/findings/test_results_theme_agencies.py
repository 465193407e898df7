"""Each theme's grades by agency (a chart and its table) load when the theme's breakdown is
opened on the results page (htmx), or on a page of their own without JavaScript: the results
page carries one chart instead of one per theme (docs/benchmarks.md, page weight)."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.models import QuestionSetItem
from tests.factories import AgencyFactory

from .results_builders import four_case_audit, moderate_four_cases, sized_audit

pytestmark = pytest.mark.django_db


def graded_theme_id(audit) -> int:
    return (
        QuestionSetItem.objects.filter(question_set=audit.question_set, kind="grade")
        .order_by("order")
        .values_list("theme_id", flat=True)
        .first()
    )


def breakdown_url(audit, theme_id: int) -> str:
    return reverse("findings:results-theme-agencies", args=[audit.pk, theme_id])


def test_the_results_page_offers_each_themes_breakdown_and_draws_one_chart(business, client_as):
    built = four_case_audit()
    theme_id = graded_theme_id(built.audit)

    html = client_as(business).get(reverse("findings:results", args=[built.audit.pk])).content
    html = html.decode()

    # The partnership's grade basis (moderated where recorded) unless the page switched.
    assert f'hx-get="{breakdown_url(built.audit, theme_id)}?grades=moderated"' in html
    assert 'hx-trigger="toggle once from:closest details"' in html
    assert html.count('src="data:image/svg+xml;base64,') == 1  # the overview only


def test_the_breakdown_holds_the_themes_chart_and_every_agencys_row(business, client_as):
    built = four_case_audit()
    theme_id = graded_theme_id(built.audit)

    response = client_as(business).get(
        breakdown_url(built.audit, theme_id), headers={"hx-request": "true"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # the part alone, for the page
    assert html.count('src="data:image/svg+xml;base64,') == 1
    rows = [unescape(name) for name in re.findall(r'<tr><th scope="row">([^<]+)</th>', html)]
    assert set(rows) == {*(agency.name for agency in built.agencies.values()), "All agencies"}
    assert response["Vary"].count("HX-Request") == 1


def test_an_agency_that_answered_none_of_a_themes_questions_reads_no_answers(business, client_as):
    built = four_case_audit()
    client = client_as(business)
    themes = set(
        QuestionSetItem.objects.filter(
            question_set=built.audit.question_set, kind="grade"
        ).values_list("theme_id", flat=True)
    )

    pages = [client.get(breakdown_url(built.audit, t)).content.decode() for t in sorted(themes)]

    assert any("<td>no answers</td>" in page for page in pages)


def test_without_javascript_the_breakdown_is_a_page_with_a_way_back(business, client_as):
    built = four_case_audit()
    theme_id = graded_theme_id(built.audit)

    html = client_as(business).get(breakdown_url(built.audit, theme_id)).content.decode()

    assert "<html" in html
    assert (
        f'href="{reverse("findings:results", args=[built.audit.pk])}?grades=moderated#theme-'
        in html
    )


def test_the_breakdown_follows_the_grade_basis_of_the_page(business, client_as):
    built = four_case_audit()
    moderate_four_cases(built)
    theme_id = graded_theme_id(built.audit)

    agency = (
        client_as(business)
        .get(breakdown_url(built.audit, theme_id), {"grades": "agency"})
        .content.decode()
    )
    moderated = (
        client_as(business)
        .get(breakdown_url(built.audit, theme_id), {"grades": "moderated"})
        .content.decode()
    )

    assert "(agency grades)" in agency
    assert "(moderated grades)" in moderated
    assert agency != moderated


def test_a_theme_the_audit_does_not_grade_is_404(business, client_as):
    built = four_case_audit()

    response = client_as(business).get(breakdown_url(built.audit, 999999))

    assert response.status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers={"hx-request": "true"})
    assert response.status_code == 200
    return len(queries)


def test_the_breakdowns_query_count_does_not_grow_with_cases_and_agencies(business, client_as):
    client = client_as(business)
    small = sized_audit(cases=2, agencies=[AgencyFactory()], title="Small audit")
    large = sized_audit(cases=20, agencies=[AgencyFactory() for _ in range(5)], title="Large")
    small_url = breakdown_url(small, graded_theme_id(small))
    large_url = breakdown_url(large, graded_theme_id(large))
    _queries(client, small_url)  # warm the session and partnership caches

    assert _queries(client, small_url) == _queries(client, large_url)
