"""Who may do what with the programme and a return (audits/rules.py), by role, for a return of
agency A; the return page's buttons (send back, reassign) follow the same predicates."""

import pytest

from auditportal.access import allowed
from audits.models import Audit, Return
from audits.rules import reassign_is_offered, send_back_is_offered
from tests.factories import AuditFactory, CaseFactory, ReturnFactory

ROLES = ["business", "admin", "agency_lead", "practitioner", "other_practitioner", "board"]


@pytest.fixture
def everyone(users, agency_lead):
    return {**users, "agency_lead": agency_lead}


def _return(agency, *, status=Return.Status.IN_PROGRESS, audit_status=Audit.Status.OPEN):
    audit = AuditFactory(status=audit_status)
    return ReturnFactory(case=CaseFactory(audit=audit), agency=agency, status=status)


@pytest.mark.parametrize(
    ("perm", "who"),
    [
        ("audits.manage_programme", {"business", "admin"}),
        ("audits.answer_return", {"agency_lead", "practitioner"}),
        ("audits.send_back_return", {"business", "admin"}),
        ("audits.reassign_return", {"business", "admin", "agency_lead"}),
        ("audits.manage_concern", {"business", "admin", "agency_lead"}),
        ("audits.view_alert_errors", {"business", "admin"}),
    ],
)
def test_return_permissions_by_role_for_an_editable_return_of_agency_a(
    everyone, agency_a, perm, who
):
    audit_return = _return(agency_a)

    allowed_roles = {role for role in ROLES if allowed(everyone[role], perm, audit_return)}

    assert allowed_roles == who


def test_answer_return_refused_once_submitted_even_to_its_agency(practitioner, agency_a):
    audit_return = _return(agency_a, status=Return.Status.SUBMITTED)

    assert allowed(practitioner, "audits.answer_return", audit_return) is False


def test_list_my_returns_is_for_practitioners_only(everyone):
    allowed_roles = {role for role in ROLES if allowed(everyone[role], "audits.list_my_returns")}

    assert allowed_roles == {"agency_lead", "practitioner", "other_practitioner"}


@pytest.mark.parametrize(
    ("status", "audit_status", "offered"),
    [
        (Return.Status.SUBMITTED, Audit.Status.OPEN, True),
        (Return.Status.IN_PROGRESS, Audit.Status.OPEN, False),
        (Return.Status.SUBMITTED, Audit.Status.MODERATION, False),
    ],
)
def test_send_back_is_offered_to_the_business_team_for_a_submitted_return_of_an_open_audit(
    business, practitioner, agency_a, status, audit_status, offered
):
    audit_return = _return(agency_a, status=status, audit_status=audit_status)

    assert send_back_is_offered.test(business, audit_return) is offered
    assert send_back_is_offered.test(practitioner, audit_return) is False


@pytest.mark.parametrize(
    ("audit_status", "offered"), [(Audit.Status.OPEN, True), (Audit.Status.MODERATION, False)]
)
def test_reassign_is_offered_to_the_lead_while_the_audit_is_open(
    agency_lead, practitioner, agency_a, audit_status, offered
):
    audit_return = _return(agency_a, audit_status=audit_status)

    assert reassign_is_offered.test(agency_lead, audit_return) is offered
    assert reassign_is_offered.test(practitioner, audit_return) is False
