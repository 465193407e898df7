from django import template

from audits.selectors import audit_concerns_for

register = template.Library()


@register.simple_tag(takes_context=True)
def audit_concerns(context, audit):
    """The audit's immediate concerns the signed-in user may see, each marked whether they may
    record the action taken (business team, or the lead of the agency whose return it is)."""
    user = context["request"].user
    concerns = audit_concerns_for(user, audit)
    lead_of: set[int] = set()
    if concerns and user.is_practitioner:
        lead_of = set(user.memberships.filter(is_lead=True).values_list("agency_id", flat=True))
    for concern in concerns:
        concern.user_can_resolve = concern.is_open and (
            user.is_business_team or concern.audit_return.agency_id in lead_of
        )
    return concerns
