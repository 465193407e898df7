"""The business team's progress matrix: cases × agencies."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.models import Return
from tests.factories import AgencyFactory

from .returns_builders import build_open_audit


def progress_url(audit):
    return reverse("audits:progress", args=[audit.pk])


def test_matrix_shows_each_return_status_and_counts_per_agency(
    client_as, business, agency_a, agency_b
):
    built = build_open_audit(agencies=[agency_a, agency_b], cases=2)
    Return.objects.filter(pk=built.return_for(agency_a, 0).pk).update(
        status=Return.Status.SUBMITTED
    )
    Return.objects.filter(pk=built.return_for(agency_b, 1).pk).update(
        status=Return.Status.IN_PROGRESS
    )

    response = client_as(business).get(progress_url(built.audit))

    body = response.content.decode()
    assert response.status_code == 200
    assert "<strong>1</strong> of 4 returns submitted" in body
    assert 'status-submitted">Submitted' in body
    assert 'status-in_progress">In progress' in body
    assert body.count('status-not_started">Not started') == 2
    assert "Riverbend child 1" in body and "Riverbend child 2" in body
    summary = response.context["summary"]
    assert [(row["agency"], row["submitted"], row["expected"]) for row in summary] == [
        (agency_a, 1, 2),
        (agency_b, 0, 2),
    ]


def test_overdue_returns_flagged_and_filterable(client_as, business, agency_a, agency_b):
    past = timezone.localdate() - datetime.timedelta(days=30)
    built = build_open_audit(
        agencies=[agency_a, agency_b],
        returns_open=past,
        returns_due=past + datetime.timedelta(days=7),
    )
    Return.objects.filter(pk=built.return_for(agency_a).pk).update(status=Return.Status.SUBMITTED)

    response = client_as(business).get(progress_url(built.audit), {"status": "overdue"})

    assert response.context["overdue"] == 1
    assert [
        [cell and cell.agency for cell in row["cells"]] for row in response.context["rows"]
    ] == [[None, agency_b]]
    assert "Overdue" in response.content.decode()


def test_filter_by_agency_shows_one_column(client_as, business, agency_a, agency_b):
    built = build_open_audit(agencies=[agency_a, agency_b])

    response = client_as(business).get(progress_url(built.audit), {"agency": agency_b.pk})

    assert response.context["columns"] == [agency_b]


def test_bad_filter_values_are_ignored(client_as, business, agency_a):
    built = build_open_audit(agencies=[agency_a])

    response = client_as(business).get(
        progress_url(built.audit), {"agency": "x", "status": "nonsense"}
    )

    assert response.status_code == 200
    assert response.context["columns"] == [agency_a]


def test_audit_without_returns_says_what_to_do(client_as, business):
    built = build_open_audit(agencies=[], status="planned")

    response = client_as(business).get(progress_url(built.audit))

    assert (
        "Returns are created for each case and involved agency when the audit opens"
        in response.content.decode()
    )


@pytest.mark.parametrize("cases", [1, 3])
def test_progress_query_count(client_as, business, cases, django_assert_num_queries):
    agencies = [AgencyFactory() for _ in range(3)]
    built = build_open_audit(agencies=agencies, cases=cases)
    client = client_as(business)

    # session, user, MFA device check, audit, returns with case/agency/assignee, concerns, the
    # access row, open queries per return
    with django_assert_num_queries(8):
        response = client.get(progress_url(built.audit))

    assert len(response.context["rows"]) == cases
