"""The agreed case grades of an audit: the results page's third basis beside agency and
moderated grades. Per theme, the multi-agency grade the moderation meeting agreed for each
child of the sample (findings.services.case_judgement): one per child, not one per agency's
answer, with "Not applicable" counted apart as everywhere else."""

from django.db.models import Count

from auditportal.figures import Figure
from audits.models import Audit
from findings.case_models import AgreedGrade

from .shapes import GRADES, NOT_APPLICABLE, ThemeResult


def agreed_theme_results(*, audit: Audit, themes: list[ThemeResult]) -> list[ThemeResult]:
    """The agreed case grades for the themes of the audit's results (same order), in one
    query: each child of the sample with an agreed grade for the theme counts once."""
    counts: dict[int, dict[str, int]] = {}
    for row in (
        AgreedGrade.objects.filter(sample_case__audit=audit)
        .values("theme_id", "grade")
        .annotate(n=Count("pk"))
    ):
        counts.setdefault(row["theme_id"], {})[row["grade"]] = row["n"]
    results = []
    for theme in themes:
        theme_counts = counts.get(theme.theme_id, {})
        answered = sum(theme_counts.get(value, 0) for value, _ in GRADES)
        results.append(
            ThemeResult(
                theme_id=theme.theme_id,
                theme_name=theme.theme_name,
                grades=[
                    Figure(label, theme_counts.get(value, 0), answered) for value, label in GRADES
                ],
                not_applicable=theme_counts.get(NOT_APPLICABLE, 0),
                _agency_figures=list,  # agreed grades are per child, not per agency
                agreement=Figure("", 0, 0),
            )
        )
    return results
