"""Trail codes written by cases (auditportal/trail_registry.py). The retention purge and
legal hold are about an audit and live with audits."""

from auditportal.trail_registry import change

EVENTS = [
    # The hosting administration's onboarding (cases.onboarding).
    change("partnership.created", "Created a partnership"),
]
