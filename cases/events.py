"""Trail codes written by cases (auditportal/trail_registry.py). The retention purge and
legal hold are about an audit and live with audits."""

from auditportal.trail_registry import change

EVENTS = [
    # The hosting administration's onboarding (cases.onboarding).
    change("partnership.created", "Created a partnership"),
    # Its changes afterwards (cases.hosting).
    change("partnership.renamed", "Renamed a partnership"),
    change("partnership.host_added", "Added a host name to a partnership"),
    change("partnership.host_removed", "Removed a host name from a partnership"),
    change("partnership.deactivated", "Deactivated a partnership"),
    change("partnership.reactivated", "Reactivated a partnership"),
]
