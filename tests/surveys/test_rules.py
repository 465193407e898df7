"""Who may do what with surveys (surveys/rules.py), by role: the business team alone."""

import pytest

from auditportal.access import allowed

from .factories import open_survey

ROLES = ["business", "admin", "agency_lead", "practitioner", "other_practitioner", "board"]


@pytest.mark.parametrize("perm", ["surveys.manage_survey"])
def test_survey_permissions_by_role(db, users, agency_lead, perm):
    everyone = {**users, "agency_lead": agency_lead}
    survey = open_survey(codes=0).survey

    allowed_roles = {role for role in ROLES if allowed(everyone[role], perm, survey)}

    assert allowed_roles == {"business", "admin"}
