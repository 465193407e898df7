"""Who may do what with surveys. Building a survey, issuing codes and reading the results are
the business team's: `surveys.manage_survey`, named on the model (Survey.Meta.rules_permissions).
Respondents sign in to nothing: the public pages check a code (surveys/answering.py), never a
rule."""

from accounts.rules import is_business_team

may_manage_surveys = is_business_team
