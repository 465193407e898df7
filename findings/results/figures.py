"""Every figure of one audit (audit_results), from submitted returns only, in one query
whatever the number of cases, agencies and answers."""

import json
from collections import defaultdict
from functools import partial
from typing import NamedTuple

from auditportal.figures import Figure
from audits.models import Audit, Question

from .counting import _by_agency, _distribution, _effective
from .shapes import (
    GRADES,
    YES_PARTLY_NO,
    AgencyChecklist,
    AgencyCompletion,
    AgencyRef,
    AuditResults,
    ChecklistResult,
    ThemeResult,
    YesPartlyNoResult,
)
from .statement import audit_counts


class _Item(NamedTuple):
    """A question-set item as the statement gives it, sorted as the question set orders."""

    order: int
    pk: int
    kind: str
    theme_id: int
    theme_name: str
    text: str
    options: list[str]


def _agency_checklist(
    agency: AgencyRef, options: list[str], ticked: dict[str, int], returns: int
) -> AgencyChecklist:
    return AgencyChecklist(
        agency_id=agency.agency_id,
        agency_name=agency.agency_name,
        returns=returns,
        options=[Figure(option, ticked.get(option, 0), returns) for option in options],
    )


def audit_results(*, audit: Audit, use_moderated: bool = False) -> AuditResults:
    """Every figure of one audit from its submitted returns, in one query (statement.py):
    the question set's items, the audit's agencies with their expected and submitted
    returns, its case counts, answer counts grouped by (item, agency, choice, moderated
    choice), and checklist ticks counted over cases and by agency, all in the database
    (docs/benchmarks.md, "Results of one audit: service against one SQL query")."""
    items: list[_Item] = []
    agency_rows: list[tuple[int, int, str, int, int]] = []
    cases_in_sample = cases = 0
    # counts[item_id][agency_id][value]; moderated[item_id] = [moderated, agreed]
    counts: dict[int, dict[int, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    moderated: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    # Cases (overall) and returns (by agency) that ticked each option.
    ticks: dict[int, dict[str, int]] = defaultdict(dict)
    agency_ticks: dict[int, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for part, key, group, a, b, c, d, n, m in audit_counts(
        audit_id=audit.pk, question_set_id=audit.question_set_id
    ):
        if part == "answer":
            value = _effective(a, b, use_moderated)
            counts[key][group][value] += n
            if b:
                moderated[key][0] += n
                if b == a:
                    moderated[key][1] += n
        elif part == "tick_agency":
            agency_ticks[key][group][a] = n
        elif part == "tick_case":
            ticks[key][a] = n
        elif part == "item":
            options = json.loads(d) if d else []
            items.append(_Item(n, key, a, group, b, c, options))
        elif part == "agency":
            agency_rows.append((group, key, a, n, int(m or 0)))
        else:  # "cases"
            cases_in_sample, cases = n, int(m or 0)
    items.sort()
    agency_rows.sort()  # by name, as the database sorts them (then id)
    agencies = [AgencyRef(agency_id, name) for _, agency_id, name, _, _ in agency_rows]
    completion_by_agency = [
        AgencyCompletion(agency_id, name, expected, submitted)
        for _, agency_id, name, expected, submitted in agency_rows
    ]
    submitted_by_agency = {row.agency_id: row.submitted for row in completion_by_agency}

    themes: dict[int, dict] = {}
    yes_partly_no: list[YesPartlyNoResult] = []
    checklists: list[ChecklistResult] = []
    for item in items:
        item_counts = counts.get(item.pk, {})
        if item.kind == Question.Kind.GRADE:
            theme = themes.setdefault(
                item.theme_id,
                {
                    "name": item.theme_name,
                    "by_agency": defaultdict(lambda: defaultdict(int)),
                    "moderated": [0, 0],
                },
            )
            for agency_id, values in item_counts.items():
                for value, n in values.items():
                    theme["by_agency"][agency_id][value] += n
            theme["moderated"][0] += moderated[item.pk][0]
            theme["moderated"][1] += moderated[item.pk][1]
        elif item.kind == Question.Kind.YES_PARTLY_NO:
            overall: dict[str, int] = defaultdict(int)
            for values in item_counts.values():
                for value, n in values.items():
                    overall[value] += n
            answers, not_applicable = _distribution(overall, YES_PARTLY_NO)
            yes_partly_no.append(
                YesPartlyNoResult(
                    item_id=item.pk,
                    text=item.text,
                    theme_id=item.theme_id,
                    theme_name=item.theme_name,
                    answers=answers,
                    not_applicable=not_applicable,
                    by_agency=_by_agency(agencies, item_counts, YES_PARTLY_NO),
                )
            )
        else:
            options = list(item.options or [])
            options += sorted(set(ticks.get(item.pk, {})) - set(options))
            checklists.append(
                ChecklistResult(
                    item_id=item.pk,
                    text=item.text,
                    theme_id=item.theme_id,
                    theme_name=item.theme_name,
                    cases=cases,
                    options=[
                        Figure(option, ticks.get(item.pk, {}).get(option, 0), cases)
                        for option in options
                    ],
                    by_agency=[
                        _agency_checklist(
                            agency,
                            options,
                            agency_ticks[item.pk].get(agency.agency_id, {}),
                            submitted_by_agency.get(agency.agency_id, 0),
                        )
                        for agency in agencies
                    ],
                )
            )

    theme_results = []
    for theme_id, theme in themes.items():
        overall = defaultdict(int)
        for values in theme["by_agency"].values():
            for value, n in values.items():
                overall[value] += n
        grades, not_applicable = _distribution(overall, GRADES)
        theme_results.append(
            ThemeResult(
                theme_id=theme_id,
                theme_name=theme["name"],
                grades=grades,
                not_applicable=not_applicable,
                agreement=Figure("Agreement", theme["moderated"][1], theme["moderated"][0]),
                _agency_figures=partial(_by_agency, agencies, theme["by_agency"], GRADES),
            )
        )

    total_moderated = sum(theme["moderated"][0] for theme in themes.values())
    total_agreed = sum(theme["moderated"][1] for theme in themes.values())
    return AuditResults(
        audit_id=audit.pk,
        use_moderated=use_moderated,
        cases=cases,
        cases_in_sample=cases_in_sample,
        completion=Figure(
            "All agencies",
            sum(row.submitted for row in completion_by_agency),
            sum(row.expected for row in completion_by_agency),
        ),
        completion_by_agency=completion_by_agency,
        agencies=agencies,
        themes=theme_results,
        yes_partly_no=yes_partly_no,
        checklists=checklists,
        agreement=Figure("Agreement", total_agreed, total_moderated),
    )
