"""Trail codes written by surveys (auditportal/trail_registry.py). Respondents are anonymous:
what they do is not in the trail (it would be a record of when someone answered)."""

from auditportal.trail_registry import access, change

EVENTS = [
    change("survey.created", "Made a survey"),
    change("survey.updated", "Changed a survey's introduction"),
    change("survey.opened", "Opened a survey"),
    change("survey.closed", "Closed a survey"),
    change("survey_question.created", "Added a survey question"),
    change("survey_question.updated", "Changed a survey question"),
    change("survey_question.deleted", "Deleted a survey question"),
    change("survey_question.moved", "Moved a survey question"),
    change("survey_batch.issued", "Issued a batch of survey codes"),
    access("survey.results_viewed", "Viewed a survey's results"),
]
