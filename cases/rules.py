"""Who leads or belongs to the agency an object is about. The object is anything with an
``agency_id`` (a return, a case's involvement, an action's owning agency); the roles come from
accounts.rules."""

from typing import Any

import rules

from accounts.rules import is_business_team, is_practitioner


@rules.predicate
def is_agency_lead(user: Any, obj: Any) -> bool:
    """A practitioner who leads the object's agency (one query)."""
    agency_id = getattr(obj, "agency_id", None)
    if agency_id is None:
        return False
    return bool(user.memberships.filter(agency_id=agency_id, is_lead=True).exists())


@rules.predicate
def is_agency_member(user: Any, obj: Any) -> bool:
    """A practitioner of the object's agency (one query)."""
    agency_id = getattr(obj, "agency_id", None)
    if agency_id is None:
        return False
    return bool(user.memberships.filter(agency_id=agency_id).exists())


leads_agency_of = is_practitioner & is_agency_lead
works_for_agency_of = is_practitioner & is_agency_member

# Whose records a page lists: the business team sees every agency's (the selectors' scope);
# everyone else their own agencies'. Pages that say which they show ask this.
rules.add_perm("cases.view_every_agency", is_business_team)
