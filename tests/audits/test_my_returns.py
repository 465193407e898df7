"""My returns: own and agency returns, overdue first, filters, search, counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.models import Return
from tests.factories import UserFactory

from .returns_builders import build_open_audit

URL = reverse("audits:my-returns")


def test_lists_own_and_agency_returns_overdue_first(
    client_as, practitioner, agency_lead, agency_a, agency_b
):
    past = timezone.localdate() - datetime.timedelta(days=20)
    current = build_open_audit(agencies=[agency_a, agency_b], title="Neglect deep dive")
    late = build_open_audit(
        agencies=[agency_a],
        title="Early help audit",
        returns_open=past,
        returns_due=past + datetime.timedelta(days=5),
    )
    Return.objects.filter(pk=current.return_for(agency_a).pk).update(assignee=practitioner)
    Return.objects.filter(pk=late.return_for(agency_a).pk).update(assignee=agency_lead)

    response = client_as(practitioner).get(URL)

    returns = response.context["returns"]
    assert [r.audit.title for r in returns] == ["Early help audit", "Neglect deep dive"]
    assert {r.agency for r in returns} == {agency_a}
    assert response.context["counts"]["overdue"] == 1
    assert response.context["counts"]["mine"] == 1
    body = response.content.decode()
    assert "Overdue" in body
    assert reverse("audits:return-detail", args=[returns[0].pk]) in body


def test_filter_mine_agency_status_and_search(client_as, practitioner, agency_a):
    built = build_open_audit(agencies=[agency_a], cases=3, title="Neglect deep dive")
    mine = built.return_for(agency_a, 0)
    Return.objects.filter(pk=mine.pk).update(
        assignee=practitioner, status=Return.Status.IN_PROGRESS
    )
    client = client_as(practitioner)

    assert [r.pk for r in client.get(URL, {"scope": "mine"}).context["returns"]] == [mine.pk]
    assert len(client.get(URL, {"scope": "agency"}).context["returns"]) == 2
    assert [r.pk for r in client.get(URL, {"status": "in_progress"}).context["returns"]] == [
        mine.pk
    ]
    assert len(client.get(URL, {"q": "neglect"}).context["returns"]) == 3
    assert [r.case.pseudonym for r in client.get(URL, {"q": "child 2"}).context["returns"]] == [
        "Riverbend child 2"
    ]
    empty = client.get(URL, {"q": "no such audit"})
    assert "No returns match these filters" in empty.content.decode()


def test_unknown_filter_values_are_ignored(client_as, practitioner, agency_a):
    build_open_audit(agencies=[agency_a])

    response = client_as(practitioner).get(URL, {"scope": "everyone", "status": "<script>"})

    assert response.status_code == 200
    assert len(response.context["returns"]) == 1


def test_empty_state_says_what_happens_next(client_as, practitioner):
    response = client_as(practitioner).get(URL)

    assert "When an audit that involves your agency opens" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("business", 403),
        ("practitioner", 200),
        ("other_practitioner", 200),
        ("board", 403),
        ("anonymous", 302),
    ],
)
def test_my_returns_permission_matrix(client_as, users, agency_a, role, expected):
    build_open_audit(agencies=[agency_a])

    response = client_as(users[role]).get(URL)

    assert response.status_code == expected
    if role == "other_practitioner":
        assert response.context["returns"] == []


@pytest.mark.parametrize("cases", [1, 3])
def test_my_returns_query_count(client_as, agency_a, cases, django_assert_num_queries):
    user = UserFactory(agencies=[agency_a])
    build_open_audit(agencies=[agency_a], cases=cases)
    client = client_as(user)

    # session, user, MFA device check, returns with audit/case/agency/assignee, counts, the
    # access row, the returns it lists (one insert), the open queries on their answers
    with django_assert_num_queries(8):
        response = client.get(URL)

    assert len(response.context["returns"]) == cases


def test_returns_not_submitted_show_as_closed_in_moderation_with_whom_to_contact(
    client_as, practitioner, agency_a, business
):
    from audits.models import Audit

    built = build_open_audit(agencies=[agency_a], cases=2, title="Neglect deep dive")
    Audit.objects.filter(pk=built.audit.pk).update(
        status=Audit.Status.MODERATION, created_by=business
    )
    submitted = built.return_for(agency_a, 1)
    Return.objects.filter(pk=submitted.pk).update(status=Return.Status.SUBMITTED)

    response = client_as(practitioner).get(URL)

    assert response.context["returns"] == []
    assert [(r.pk, contact) for r, contact in response.context["closed"]] == [
        (built.return_for(agency_a).pk, f"{business} ({business.email}), who runs this audit")
    ]
    body = " ".join(response.content.decode().split())
    assert "Closed before they were submitted" in body
    assert "The audit moved to moderation before this return was submitted." in body
    assert response.context["counts"]["outstanding"] == 0


def test_closed_returns_name_the_partnership_contact_when_the_owner_has_left(
    client_as, practitioner, agency_a, business, settings
):
    from audits.models import Audit

    settings.PARTNERSHIP_CONTACT_EMAIL = "audits@riverbend.example"
    built = build_open_audit(agencies=[agency_a], title="Neglect deep dive")
    Audit.objects.filter(pk=built.audit.pk).update(
        status=Audit.Status.MODERATION, created_by=business
    )
    type(business).objects.filter(pk=business.pk).update(is_active=False)

    closed = client_as(practitioner).get(URL).context["closed"]

    assert [contact for _, contact in closed] == ["the partnership team (audits@riverbend.example)"]


def test_returns_of_audits_past_moderation_are_not_listed(client_as, practitioner, agency_a):
    from audits.models import Audit

    built = build_open_audit(agencies=[agency_a])
    Audit.objects.filter(pk=built.audit.pk).update(status=Audit.Status.FINDINGS_AGREED)

    response = client_as(practitioner).get(URL)

    assert (response.context["returns"], response.context["closed"]) == ([], [])


def test_a_closed_return_page_says_whom_to_contact(client_as, practitioner, agency_a, business):
    from audits.models import Audit

    built = build_open_audit(agencies=[agency_a])
    Audit.objects.filter(pk=built.audit.pk).update(
        status=Audit.Status.MODERATION, created_by=business
    )

    response = client_as(practitioner).get(built.return_for(agency_a).get_absolute_url())

    body = " ".join(response.content.decode().split())
    assert (
        "It moved to moderation before this return was submitted: if it still needs to be "
        f"made, contact {business} ({business.email}), who runs this audit." in body
    )
