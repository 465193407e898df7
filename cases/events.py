"""Trail codes written by cases (auditportal/trail_registry.py). The retention purge and legal
hold are about an audit: they move to audits with the retention code."""

from auditportal.trail_registry import change

EVENTS = [
    change("audit.purged", "Purged after the retention period"),
    change("audit.legal_hold_placed", "Placed a legal hold"),
    change("audit.legal_hold_lifted", "Lifted a legal hold"),
]
