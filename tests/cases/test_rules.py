"""Agency membership and leadership (cases/rules.py), asked of anything with an agency_id."""

import pytest

from auditportal.access import allowed
from cases.rules import leads_agency_of, works_for_agency_of
from tests.factories import CaseAgencyFactory


@pytest.mark.parametrize(
    ("role", "leads", "works_for"),
    [
        ("business", False, False),  # the business team is not an agency's member
        ("admin", False, False),
        ("agency_lead", True, True),
        ("practitioner", False, True),
        ("other_practitioner", False, False),
        ("board", False, False),
    ],
)
def test_agency_predicates_answer_for_the_involvement_of_agency_a(
    users, agency_lead, agency_a, role, leads, works_for
):
    user = {**users, "agency_lead": agency_lead}[role]
    involvement = CaseAgencyFactory(agency=agency_a)

    answers = (leads_agency_of.test(user, involvement), works_for_agency_of.test(user, involvement))

    assert answers == (leads, works_for)


def test_agency_predicates_an_object_without_an_agency_is_nobodys(agency_lead):
    assert leads_agency_of.test(agency_lead, object()) is False
    assert works_for_agency_of.test(agency_lead, object()) is False


def test_only_the_business_team_sees_every_agencys_records(users, agency_lead):
    everyone = {**users, "agency_lead": agency_lead}

    who = {role for role, user in everyone.items() if allowed(user, "cases.view_every_agency")}

    assert who == {"business", "admin"}
