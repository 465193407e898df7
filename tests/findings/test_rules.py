"""Who may do what with findings, actions and the dashboard (findings/rules.py), by role."""

import pytest

from auditportal.access import allowed
from tests.factories import ActionFactory, SubGroupFactory

ROLES = ["business", "admin", "agency_lead", "practitioner", "other_practitioner", "board"]


@pytest.mark.parametrize(
    ("perm", "who"),
    [
        ("findings.view_results", {"business", "admin"}),
        ("findings.manage_findings", {"business", "admin"}),
        ("findings.edit_action", {"business", "admin"}),
        (
            "findings.view_action_tracker",
            {"business", "admin", "agency_lead", "practitioner", "other_practitioner"},
        ),
        ("findings.update_action_status", {"business", "admin", "agency_lead"}),
        ("findings.view_dashboard", {"business", "admin", "board"}),
    ],
)
def test_findings_permissions_by_role_for_an_action_of_agency_a(
    users, agency_lead, agency_a, perm, who
):
    everyone = {**users, "agency_lead": agency_lead}
    action = ActionFactory(owner_agency=agency_a)

    allowed_roles = {role for role in ROLES if allowed(everyone[role], perm, action)}

    assert allowed_roles == who


def test_update_action_status_owned_by_a_subgroup_is_the_business_teams_alone(
    business, agency_lead
):
    action = ActionFactory(owner_agency=None, owner_subgroup=SubGroupFactory())

    assert allowed(business, "findings.update_action_status", action) is True
    assert allowed(agency_lead, "findings.update_action_status", action) is False
