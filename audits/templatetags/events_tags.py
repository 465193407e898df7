"""Key events and queries on answers on pages whose views predate them (the return page,
My returns, the progress matrix): each tag is one query, whatever the number of rows."""

from typing import Any

from django import template

from auditportal.access import allowed
from audits.event_selectors import (
    event_kinds_offered,
    key_events_of_return,
    open_queries_for,
    open_query_counts,
    queries_by_item,
)
from audits.models import Audit, Return

register = template.Library()


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.simple_tag
def answer_queries(audit_return: Return) -> dict:
    return queries_by_item(audit_return)


@register.simple_tag
def answer_ids(audit_return: Return) -> dict[int, int]:
    """item id -> answer id of the return (one query), for the "Raise a query" links."""
    return dict(audit_return.answers.values_list("item_id", "pk"))


@register.simple_tag(takes_context=True)
def may_raise_query(context, audit_return: Return) -> bool:
    return allowed(context["request"].user, "audits.raise_query", audit_return)


@register.simple_tag
def audit_open_query_counts(audit: Audit) -> dict[int, int]:
    """return id -> open queries, for every return of the audit (one query)."""
    return open_query_counts(audit.returns.all())


@register.simple_tag(takes_context=True)
def my_open_queries(context) -> list:
    user = context["request"].user
    return open_queries_for(user) if user.is_practitioner else []


@register.inclusion_tag("audits/includes/key_events.html", takes_context=True)
def key_events_panel(context, audit_return: Return) -> dict:
    user = context["request"].user
    can_write = allowed(user, "audits.answer_return", audit_return)
    # The rows are written out in the template (one select of kinds, listed once), not as a
    # form per event: a form each would read the kinds once per event.
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "audit_return": audit_return,
        "events": key_events_of_return(audit_return),
        "kinds": list(event_kinds_offered()),
        "can_write": can_write,
    }
