import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.models import Audit
from cases.models import RecordReference
from tests.factories import AgencyFactory

from .results_builders import four_case_audit, moderate_four_cases, sized_audit

pytestmark = pytest.mark.django_db


def test_results_page_of_unknown_audit_is_404(business, client_as):
    response = client_as(business).get(reverse("findings:results", args=[999999]))

    assert response.status_code == 404


def test_results_page_shows_figures_with_counts(business, client_as):
    built = four_case_audit()

    response = client_as(business).get(reverse("findings:results", args=[built.audit.pk]))

    html = response.content.decode()
    assert "75% (3 of 4)" in html  # neglect prevalence, and agency A's completion
    assert "56% (5 of 9)" in html  # recognition: good
    assert "67% (6 of 9)" in html  # completion overall
    assert 'src="data:image/svg+xml;base64,' in html
    assert "<svg" not in html  # the Content Security Policy forbids inline <style>
    assert "No moderated grades have been recorded yet" in html


def test_results_page_links_each_themes_evidence(business, client_as):
    # The texts themselves load on demand: tests/findings/test_results_evidence.py.
    built = four_case_audit()

    response = client_as(business).get(reverse("findings:results", args=[built.audit.pk]))

    html = response.content.decode()
    assert "3 evidence texts for Recognition" in html  # the draft's text is not counted
    assert (
        reverse("findings:results-evidence", args=[built.audit.pk, built.items["G1"].theme_id])
        in html
    )


def test_results_page_never_shows_record_references(business, client_as):
    built = four_case_audit()

    response = client_as(business).get(reverse("findings:results", args=[built.audit.pk]))

    html = response.content.decode()
    for reference in RecordReference.objects.values_list("reference", flat=True):
        assert reference not in html


def test_results_page_on_moderated_grades_shows_agreement(business, client_as):
    built = four_case_audit()
    moderate_four_cases(built)

    response = client_as(business).get(
        reverse("findings:results", args=[built.audit.pk]), {"grades": "moderated"}
    )

    html = response.content.decode()
    assert "33% (1 of 3)" in html
    assert "67% (6 of 9)" in html  # recognition: good, on moderated grades
    assert 'aria-current="page">Moderated grades' in html


def test_results_page_of_audit_without_returns_says_what_next(business, client_as):
    built = four_case_audit(status=Audit.Status.PLANNED)
    built.audit.returns.all().delete()

    response = client_as(business).get(reverse("findings:results", args=[built.audit.pk]))

    assert response.status_code == 200
    assert "Returns are created when the audit opens" in response.content.decode()


def _results_queries(client, audit) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("findings:results", args=[audit.pk]))
    assert response.status_code == 200
    return len(queries)


def test_results_page_query_count_does_not_grow_with_cases_and_agencies(business, client_as):
    client = client_as(business)
    small = sized_audit(cases=2, agencies=[AgencyFactory()], title="Small audit")
    large = sized_audit(cases=20, agencies=[AgencyFactory() for _ in range(5)], title="Large audit")
    _results_queries(client, small)  # warm the session and partnership caches

    small_count = _results_queries(client, small)
    large_count = _results_queries(client, large)

    # session, user, (middleware), audit, six for the figures, one for the evidence
    assert small_count == large_count


def test_results_page_figures_are_table_cells(business, client_as):
    built = four_case_audit()

    response = client_as(business).get(reverse("findings:results", args=[built.audit.pk]))

    html = response.content.decode()
    assert "<td>56% (5 of 9)</td>" in html  # recognition: good, all agencies
