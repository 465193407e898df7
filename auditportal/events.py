"""Trail codes written by the shared base (auditportal/trail_registry.py)."""

from .trail_registry import access, change, security

EVENTS = [
    access("trail.exported", "Exported the audit trail"),
    security("account.sign_in_locked", "Sign-in locked after repeated failures"),
    security(
        "record_references.re_encrypted", "Re-encrypted the record references under the current key"
    ),
    # Rows of the models' change history (django-simple-history), shown beside the events.
    change("history.created", "Created"),
    change("history.changed", "Changed"),
    change("history.deleted", "Deleted"),
]
