"""The roles, defined once. Every app's rules.py builds on these predicates; views and
services ask through ``auditportal.access`` or ``<predicate>.test(user)``, never by reading
``user.role`` themselves. An administrator counts as the business team (User.is_business_team)."""

from typing import Any

import rules


@rules.predicate
def is_business_team(user: Any) -> bool:
    """Business team and administrators: everything in the partnership."""
    return bool(getattr(user, "is_business_team", False))


@rules.predicate
def is_practitioner(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_practitioner)


@rules.predicate
def is_board_member(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_board_member)


# The audit trail and retention page (auditportal's trail views, audits' retention views):
# every event of the partnership, so the business team and administrators only.
rules.add_perm("auditportal.view_trail", is_business_team)


@rules.predicate
def is_hosting_admin(user: Any) -> bool:
    """Manages partnerships (the hosting administration); sees no partnership's data."""
    return bool(getattr(user, "is_hosting_admin", False))


rules.add_perm("cases.manage_partnerships", is_hosting_admin)
