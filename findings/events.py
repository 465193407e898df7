"""Trail codes written by findings (auditportal/trail_registry.py)."""

from auditportal.trail_registry import access, change, security

EVENTS = [
    # Results, evidence and moderation.
    access("audit.evidence_viewed", "Viewed a theme's evidence"),
    access("audit.results_exported", "Exported results"),
    access("audit.answers_exported", "Exported every answer"),
    access("answer.viewed", "Viewed an answer to moderate it"),
    change("answer.moderated", "Recorded a moderated grade"),
    change("answer.moderation_cleared", "Cleared a moderated grade"),
    # The child's page: the meeting's judgement of one child, and the child's summary.
    access("case.child_page_viewed", "Viewed the child's page (every agency's answers)"),
    change("case.judgement_recorded", "Recorded the meeting's judgement of a child"),
    change("case.summary_requested", "Asked for a one-page child summary"),
    access("case.summary_downloaded", "Downloaded a one-page child summary"),
    # Findings.
    access("audit.findings_viewed", "Viewed the findings (with their source returns)"),
    access("finding.viewed", "Viewed a finding (with its source returns)"),
    change("finding.created", "Added a finding"),
    change("finding.updated", "Changed a finding"),
    change("finding.deleted", "Deleted a finding"),
    change("finding.moved", "Moved a finding"),
    change("finding.promoted", "Made a finding from evidence"),
    # Actions and sub-groups.
    change("action.created", "Added an action"),
    change("action.updated", "Changed an action"),
    change("action.status_changed", "Action status changed"),
    change("action.deleted", "Deleted an action"),
    change("action.overdue_emailed", "Emailed overdue actions"),
    change("audit.reaudit_scheduled", "Scheduled a re-audit to check actions changed practice"),
    change("subgroup.created", "Added a sub-group"),
    change("subgroup.updated", "Changed a sub-group"),
    change("subgroup.reinstated", "Reinstated a sub-group"),
    change("subgroup.retired", "Retired a sub-group"),
    # The aggregate data feed.
    change("feed.token_created", "Created a data feed token"),
    change("feed.token_revoked", "Revoked a data feed token"),
    access("feed.read", "Read the aggregate data feed"),
    security("feed.refused", "Refused a data feed read (unknown or revoked token)"),
    security("feed.throttled", "Refused data feed reads from one network for a minute (too many)"),
    # Engagement, quotes and resources.
    change("engagement.saved", "Saved survey figures"),
    change("quote.created", "Added a quote"),
    change("quote.updated", "Changed a quote"),
    change("quote.deleted", "Deleted a quote"),
    change("quote.moved", "Moved a quote"),
    change("quote.survey_saved", "Edited a quote from a survey answer"),
    change("quote.survey_approved", "Approved a quote from a survey answer"),
    change("quote.survey_withdrawn", "Withdrew the approval of a quote from a survey answer"),
    access("survey_answer.viewed", "Read a survey answer's original words"),
    change("resource.created", "Added a resource"),
    change("resource.updated", "Changed a resource"),
    change("resource.reinstated", "Reinstated a resource"),
    change("resource.retired", "Retired a resource"),
]
