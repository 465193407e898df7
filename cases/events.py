"""Trail codes written by cases (auditportal/trail_registry.py): none of its own yet; the
retention purge and legal hold are about an audit and live with audits."""

EVENTS: list = []
