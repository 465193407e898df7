"""Trail codes written by audits (auditportal/trail_registry.py)."""

from auditportal.trail_registry import access, change

EVENTS = [
    # The question bank and question sets.
    change("theme.created", "Added a theme"),
    change("theme.updated", "Changed a theme"),
    change("question.created", "Added a question"),
    change("question.updated", "Changed a question"),
    change("question.moved", "Moved a question"),
    change("questionset.created", "Made a question set"),
    change("questionset.updated", "Changed a question set"),
    change("questionset.versioned", "Made a new version of a question set"),
    # Audits, their sample and their status.
    change("audit.created", "Scheduled an audit"),
    change("audit.updated", "Changed an audit"),
    change("audit.status_changed", "Status changed"),
    change("audit.returns_created", "Created the returns"),
    # Retention of a closed audit (audits.retention).
    change("audit.purged", "Purged after the retention period"),
    change("audit.legal_hold_placed", "Placed a legal hold"),
    change("audit.legal_hold_lifted", "Lifted a legal hold"),
    access("audit.sample_viewed", "Viewed the sample (with record references)"),
    access("audit.progress_viewed", "Viewed the progress of the returns"),
    change("case.created", "Added a child to the sample"),
    change("case.updated", "Changed a child in the sample"),
    change("case.deleted", "Removed a child from the sample"),
    access("case.viewed", "Viewed a child's details and record references"),
    # The sample builder: the candidate list of a planned audit (pseudonyms, never logged).
    change("audit.candidates_uploaded", "Uploaded a candidate list"),
    change("audit.sample_proposed", "Proposed a sample from the candidates"),
    change("audit.sample_swapped", "Swapped a child in the proposed sample"),
    access("audit.candidates_viewed", "Viewed the candidate list"),
    # Returns and immediate concerns.
    access("return.listed", "Viewed a list of returns (My returns)"),
    access("return.viewed", "Viewed a return"),
    change("return.reassigned", "Reassigned a return"),
    change("return.saved", "Saved a draft"),
    change("return.submitted", "Submitted a return"),
    change("return.sent_back", "Returned a return for amendment"),
    change("concern.raised", "Raised an immediate concern"),
    change("concern.resolved", "Recorded the action on a concern"),
    change("concern.alert_failed", "An immediate-concern alert could not be sent"),
    access("concern.viewed", "Viewed an immediate concern"),
    # Key events in a return, and queries on one answer.
    change("key_event.added", "Added a key event"),
    change("key_event.changed", "Changed a key event"),
    change("key_event.removed", "Removed a key event"),
    change("query.raised", "Raised a query on an answer"),
    change("query.answered", "Answered a query on an answer"),
    change("query.answer_changed", "Changed an answer in reply to a query"),
    change("query.closed", "Closed a query on an answer"),
    change("query.reopened", "Re-opened a query on an answer"),
    access("query.viewed", "Viewed a query on an answer"),
    access("query.answer_viewed", "Viewed an answer to raise a query on it"),
    access("key_event.viewed", "Viewed a key event"),
    # The programme's calendar feed.
    change("calendar_feed.issued", "Set up a calendar address"),
    change("calendar_feed.renewed", "Renewed a calendar address"),
    change("calendar_feed.revoked", "Switched off a calendar address"),
]
