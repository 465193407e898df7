"""Who may do what with results, findings and actions. Findings, moderation and results are the
business team's; actions are tracked by the agencies that own them; board members see only the
aggregate dashboard and trends.

findings.edit_action is named on the model (Action.Meta.rules_permissions), so models.py
imports this module and this module never imports the findings models."""

from typing import Any

import rules

from accounts.rules import is_board_member, is_business_team, is_practitioner
from cases.models import Membership


@rules.predicate
def leads_owning_agency(user: Any, action: Any) -> bool:
    """A lead practitioner of the agency that owns the action (one query)."""
    if not action.owner_agency_id:
        return False
    return bool(
        Membership.objects.filter(
            user=user, agency_id=action.owner_agency_id, is_lead=True
        ).exists()
    )


may_work_on_findings = is_business_team
may_view_action_tracker = is_business_team | is_practitioner
may_update_action_status = is_business_team | (is_practitioner & leads_owning_agency)
may_view_dashboard = is_business_team | is_board_member

rules.add_perm("findings.view_results", may_work_on_findings)
rules.add_perm("findings.manage_findings", may_work_on_findings)
rules.add_perm("findings.view_action_tracker", may_view_action_tracker)
rules.add_perm("findings.update_action_status", may_update_action_status)
rules.add_perm("findings.view_dashboard", may_view_dashboard)
