"""Who may do what with surveys. Building a survey, issuing codes, reading the results and
turning answers into quotes are the business team's. Respondents sign in to nothing: the
public pages check a code (surveys/answering.py), never a rule."""

import rules

from accounts.rules import is_business_team

may_manage_surveys = is_business_team

rules.add_perm("surveys.manage_survey", may_manage_surveys)
rules.add_perm("surveys.view_survey_results", may_manage_surveys)
