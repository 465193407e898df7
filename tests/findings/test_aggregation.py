"""The aggregation rules of SPEC.md against a small audit computed by hand.

The example (tests/findings/results_builders.py, four_case_audit): cases YP1-YP4; agencies
A (every case), B (every case), C (YP4 only). Submitted returns: YP1-A, YP1-B, YP2-A, YP3-A,
YP3-B, YP4-C (6 of 9). YP2-B and YP4-B are in progress and YP4-A not started: their answers
and ticks must not count. All four cases have at least one submitted return.
"""

import pytest

from auditportal.figures import Figure
from audits.models import Audit
from findings.results import audit_results
from tests.factories import AgencyFactory

from .results_builders import four_case_audit, moderate_four_cases, sized_audit

pytestmark = pytest.mark.django_db


def _figures(figures: list[Figure]) -> dict[str, tuple[int, int, int | None]]:
    return {f.label: (f.count, f.denominator, f.percent) for f in figures}


def _displays(figures: list[Figure]) -> dict[str, str]:
    return {f.label: f.display() for f in figures}


def test_risk_factor_prevalence_counts_cases_ticked_by_any_agency():
    built = four_case_audit()

    results = audit_results(audit=built.audit)

    risk = next(c for c in results.checklists if c.text == "Risk factors present")
    # Neglect: YP1 (A and B: one case), YP3 (B), YP4 (C); YP4-B's tick is a draft.
    # Domestic abuse: YP1 only (YP2-B is in progress). Mental health: YP1, YP2.
    assert risk.cases == 4
    assert _displays(risk.options) == {
        "Neglect": "75% (3 of 4)",
        "Domestic abuse": "25% (1 of 4)",
        "Parental mental health": "50% (2 of 4)",
        "Young carer": "25% (1 of 4)",
    }


def test_tools_used_prevalence_over_cases():
    built = four_case_audit()

    results = audit_results(audit=built.audit)

    tools = next(c for c in results.checklists if c.text == "Tools used")
    assert _displays(tools.options) == {
        "Graded care profile": "50% (2 of 4)",
        "Neglect toolkit": "25% (1 of 4)",
    }


def test_checklist_by_agency_counts_that_agencys_submitted_returns():
    built = four_case_audit()

    results = audit_results(audit=built.audit)

    risk = next(c for c in results.checklists if c.text == "Risk factors present")
    by_agency = {row.agency_name: _figures(row.options)["Neglect"] for row in risk.by_agency}
    assert by_agency == {
        "Riverbend Children's Services": (1, 3, 33),
        "Riverbend Police": (2, 2, 100),
        "Riverbend School Nursing": (1, 1, 100),
    }


def test_grade_distribution_excludes_not_applicable_and_drafts():
    built = four_case_audit()

    results = audit_results(audit=built.audit)

    recognition = next(t for t in results.themes if t.theme_name == "Recognition")
    # Answered, not N/A: G1 good, RI, good, inadequate, good, good; G2 outstanding, good, RI.
    # N/A: YP1-B G2 and YP3-B G2. YP3-A G2 is blank; YP2-B's inadequate is a draft.
    assert recognition.answered == 9
    assert recognition.not_applicable == 2
    assert _displays(recognition.grades) == {
        "Outstanding": "11% (1 of 9)",
        "Good": "56% (5 of 9)",
        "Requires improvement": "22% (2 of 9)",
        "Inadequate": "11% (1 of 9)",
    }


def test_grade_distribution_by_agency():
    built = four_case_audit()

    results = audit_results(audit=built.audit)

    recognition = next(t for t in results.themes if t.theme_name == "Recognition")
    by_agency = {row.agency_name: row for row in recognition.by_agency}
    assert _displays(by_agency["Riverbend Children's Services"].figures) == {
        "Outstanding": "20% (1 of 5)",
        "Good": "60% (3 of 5)",
        "Requires improvement": "0% (0 of 5)",
        "Inadequate": "20% (1 of 5)",
    }
    assert by_agency["Riverbend Police"].not_applicable == 2
    assert _figures(by_agency["Riverbend Police"].figures)["Good"] == (1, 2, 50)
    assert _figures(by_agency["Riverbend School Nursing"].figures)["Requires improvement"] == (
        1,
        2,
        50,
    )


def test_themes_follow_the_question_set_order():
    built = four_case_audit()

    results = audit_results(audit=built.audit)

    assert [t.theme_name for t in results.themes] == ["Recognition", "Voice of the child"]


def test_yes_partly_no_distribution():
    built = four_case_audit()

    results = audit_results(audit=built.audit)

    (seen_alone,) = results.yes_partly_no
    assert seen_alone.not_applicable == 1
    assert _displays(seen_alone.answers) == {
        "Yes": "60% (3 of 5)",
        "Partly": "20% (1 of 5)",
        "No": "20% (1 of 5)",
    }


def test_completion_per_agency_and_overall():
    built = four_case_audit()

    results = audit_results(audit=built.audit)

    assert {row.agency_name: row.figure.display() for row in results.completion_by_agency} == {
        "Riverbend Children's Services": "75% (3 of 4)",
        "Riverbend Police": "50% (2 of 4)",
        "Riverbend School Nursing": "100% (1 of 1)",
    }
    assert results.completion.display() == "67% (6 of 9)"
    assert (results.cases, results.cases_in_sample) == (4, 4)


def test_prevalence_denominator_is_cases_with_a_submitted_return():
    built = four_case_audit()
    built.returns["YP4-C"].status = "in_progress"
    built.returns["YP4-C"].save()

    results = audit_results(audit=built.audit)

    risk = next(c for c in results.checklists if c.text == "Risk factors present")
    assert risk.cases == 3
    assert _displays(risk.options)["Neglect"] == "67% (2 of 3)"
    assert _displays(risk.options)["Young carer"] == "0% (0 of 3)"


def test_agreement_rate_between_agency_and_moderated_grades():
    built = four_case_audit()
    moderate_four_cases(built)

    results = audit_results(audit=built.audit)

    themes = {t.theme_name: t for t in results.themes}
    assert results.agreement.display() == "33% (1 of 3)"
    assert themes["Recognition"].agreement.display() == "50% (1 of 2)"
    assert themes["Voice of the child"].agreement.display() == "0% (0 of 1)"


def test_agency_grades_ignore_moderation_by_default():
    built = four_case_audit()
    moderate_four_cases(built)

    results = audit_results(audit=built.audit)

    recognition = next(t for t in results.themes if t.theme_name == "Recognition")
    assert _figures(recognition.grades)["Good"] == (5, 9, 56)


def test_moderated_grades_replace_agency_grades_where_recorded():
    built = four_case_audit()
    moderate_four_cases(built)

    results = audit_results(audit=built.audit, use_moderated=True)

    themes = {t.theme_name: t for t in results.themes}
    # YP1-B G1 requires improvement -> good; YP3-A inadequate stays; YP1-A G3 -> good.
    assert _displays(themes["Recognition"].grades) == {
        "Outstanding": "11% (1 of 9)",
        "Good": "67% (6 of 9)",
        "Requires improvement": "11% (1 of 9)",
        "Inadequate": "11% (1 of 9)",
    }
    assert _displays(themes["Voice of the child"].grades)["Good"] == "100% (2 of 2)"


def test_rounding_half_up_end_to_end():
    agency = AgencyFactory()
    audit = sized_audit(cases=8, agencies=[agency])
    from audits.models import AnswerTick

    AnswerTick.objects.filter(answer__audit_return__audit=audit, option="Neglect").exclude(
        answer__audit_return__case__pseudonym="Child 0"
    ).delete()

    results = audit_results(audit=audit)

    (risk,) = results.checklists
    assert _displays(risk.options)["Neglect"] == "13% (1 of 8)"


def test_audit_without_returns_has_empty_figures():
    built = four_case_audit()
    built.audit.returns.all().delete()

    results = audit_results(audit=built.audit)

    assert results.completion.display() == "no answers"
    assert results.themes[0].grades[0].display() == "no answers"
    assert results.has_submitted_returns is False


@pytest.mark.parametrize(("cases", "agencies"), [(2, 1), (20, 5)])
def test_audit_results_take_one_query_whatever_the_size(cases, agencies, django_assert_num_queries):
    audit = sized_audit(
        cases=cases, agencies=[AgencyFactory() for _ in range(agencies)], status=Audit.Status.OPEN
    )

    # one statement: items, agencies' returns, cases, answer counts, ticks by agency and case
    with django_assert_num_queries(1):
        results = audit_results(audit=audit)

    assert results.completion.count == cases * agencies
    assert results.checklists[0].options[0].display() == f"100% ({cases} of {cases})"


def test_theme_results_compare_their_grades_by_agency_too():
    from auditportal.figures import Figure
    from findings.results import AgencyDistribution, ThemeResult

    def theme(good_by_agency: int) -> ThemeResult:
        row = AgencyDistribution(1, "Police", [Figure("Good", good_by_agency, 2)], 0)
        return ThemeResult(
            theme_id=1,
            theme_name="Voice of the child",
            grades=[Figure("Good", 2, 4)],
            not_applicable=0,
            agreement=Figure("Agreement", 0, 0),
            _agency_figures=lambda: [row],
        )

    assert theme(1) == theme(1)
    assert theme(1) != theme(2)
