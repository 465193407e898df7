"""Aggregated results of audits (SPEC.md "Aggregation rules"): whole percentages rounded half
up, always shown with their counts, with optional small-number suppression.

Every figure is an ``auditportal.figures.Figure`` (``.percent`` round half up,
``.display(suppress_below=0)`` -> "75% (3 of 4)" or "fewer than 3" or "no answers").

Public API (used by the results page, exports, the board dashboard and briefings):

- ``audit_results(*, audit, use_moderated=False) -> AuditResults``: every figure of one audit,
  from submitted returns only, in one query (``statement.py``) whatever the number of
  cases, agencies and answers. With ``use_moderated`` a grade counts as its moderated grade
  where the business team recorded one (Coalesce(moderated_choice, choice)).
- ``theme_trends(*, themes=None, for_board=False, use_moderated=False) -> list[ThemeTrend]``
  and ``theme_trend(*, theme, for_board=False, use_moderated=False) -> list[TrendPoint]``:
  a theme's grade distribution in each audit that asked it, oldest to newest (two queries).
  ``for_board`` keeps published and closed audits only.
- ``action_summary(*, for_board=False) -> ActionSummary``: actions by status and overdue.

The shapes (frozen dataclasses):

- ``AuditResults``: ``audit_id``, ``use_moderated``, ``cases`` (cases with at least one
  submitted return: the prevalence denominator), ``cases_in_sample``, ``completion``
  (Figure: submitted of expected returns), ``completion_by_agency`` (list[AgencyCompletion]),
  ``agencies`` (list[AgencyRef]), ``themes`` (list[ThemeResult]), ``yes_partly_no``
  (list[YesPartlyNoResult]), ``checklists`` (list[ChecklistResult]), ``agreement`` (Figure:
  moderated grade answers whose moderated grade equals the agency's grade).
- ``ThemeResult``: ``theme_id``, ``theme_name``, ``grades`` (list of four Figures, Outstanding,
  Good, Requires improvement, Inadequate, over the answered grade questions of the theme with
  N/A excluded), ``not_applicable`` (int), ``answered`` (the denominator), ``by_agency``
  (list[AgencyDistribution]), ``agreement`` (Figure).
- ``YesPartlyNoResult``: ``item_id``, ``text``, ``theme_id``, ``theme_name``, ``answers``
  (Figures for Yes, Partly, No; N/A excluded), ``not_applicable``, ``by_agency``.
- ``ChecklistResult``: ``item_id``, ``text``, ``theme_id``, ``theme_name``, ``cases`` (the
  denominator), ``options`` (one Figure per option: cases in which at least one agency's
  submitted return ticked it, over cases with a submitted return), ``by_agency``
  (list[AgencyChecklist]: the agency's submitted returns that ticked each option).
- ``AgencyDistribution``: ``agency_id``, ``agency_name``, ``figures``, ``not_applicable``.
- ``AgencyCompletion``: ``agency_id``, ``agency_name``, ``expected``, ``submitted``,
  ``figure`` (Figure).
"""

from .actions import *  # noqa: F403
from .counting import *  # noqa: F403
from .figures import *  # noqa: F403
from .shapes import *  # noqa: F403
from .trends import *  # noqa: F403
