"""Every figure of one audit (audit_results), from submitted returns only, in a fixed number
of queries whatever the number of cases, agencies and answers."""

from collections import defaultdict

from django.db.models import Count

from auditportal.figures import Figure
from audits.models import Answer, AnswerTick, Audit, Question, QuestionSetItem, Return

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


def audit_results(*, audit: Audit, use_moderated: bool = False) -> AuditResults:
    """Every figure of one audit from its submitted returns, in four queries: the question
    set's items, the audit's returns (agency, case, status: a row each, tens to hundreds),
    answer counts grouped by (item, agency, choice, moderated choice), and the audit's
    checklist ticks (a row each, counted here both over cases and by agency). The answer and
    tick queries name the items they want, so PostgreSQL looks up ticks for checklist
    answers only (docs/benchmarks.md, "Results against SQL")."""
    item_rows = (
        QuestionSetItem.objects.filter(
            question_set_id=audit.question_set_id,
            kind__in=[Question.Kind.GRADE, Question.Kind.YES_PARTLY_NO, Question.Kind.CHECKLIST],
        )
        .order_by("order", "pk")
        .values_list("pk", "kind", "theme_id", "theme_name", "text", "options", named=True)
    )
    items = list(item_rows)
    answered_items = [item.pk for item in items if item.kind != Question.Kind.CHECKLIST]
    checklist_items = [item.pk for item in items if item.kind == Question.Kind.CHECKLIST]

    return_rows = (
        Return.objects.filter(audit=audit)
        .values_list("agency_id", "agency__name", "case_id", "status")
        .order_by("agency__name", "agency_id")
    )
    expected_by_agency: dict[int, int] = defaultdict(int)
    submitted_by_agency: dict[int, int] = defaultdict(int)
    agency_names: dict[int, str] = {}
    cases_in_sample: set[int] = set()
    cases_with_submitted: set[int] = set()
    for agency_id, agency_name, case_id, status in return_rows:
        agency_names[agency_id] = agency_name
        expected_by_agency[agency_id] += 1
        cases_in_sample.add(case_id)
        if status == Return.Status.SUBMITTED:
            submitted_by_agency[agency_id] += 1
            cases_with_submitted.add(case_id)
    by_name = list(agency_names)  # in the database's order of names
    agencies = [AgencyRef(agency_id, agency_names[agency_id]) for agency_id in by_name]
    completion_by_agency = [
        AgencyCompletion(
            agency_id,
            agency_names[agency_id],
            expected_by_agency[agency_id],
            submitted_by_agency[agency_id],
        )
        for agency_id in by_name
    ]

    # One row per (item, agency, agency grade, moderated grade): bounded by the question set
    # and the agencies, never by the number of cases.
    answer_rows = (
        Answer.objects.filter(
            audit_return__audit=audit,
            audit_return__status=Return.Status.SUBMITTED,
            item_id__in=answered_items,
        )
        .exclude(choice="")
        .values_list("item_id", "audit_return__agency_id", "choice", "moderated_choice")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # A row per tick of a submitted return: a few per case and checklist.
    tick_rows = AnswerTick.objects.filter(
        answer__audit_return__audit=audit,
        answer__audit_return__status=Return.Status.SUBMITTED,
        answer__item_id__in=checklist_items,
    ).values_list(
        "answer__item_id",
        "option",
        "answer__audit_return__case_id",
        "answer__audit_return__agency_id",
        "answer__audit_return_id",
    )

    # counts[item_id][agency_id][value]; agreement[item_id] = (moderated, agreed)
    counts: dict[int, dict[int, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    moderated: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for item_id, agency_id, choice, moderated_choice, n in answer_rows:
        value = _effective(choice, moderated_choice, use_moderated)
        counts[item_id][agency_id][value] += n
        if moderated_choice:
            moderated[item_id][0] += n
            if moderated_choice == choice:
                moderated[item_id][1] += n

    # Cases (overall) and returns (by agency) that ticked each option, counted once each.
    tick_cases: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    tick_returns: dict[int, dict[int, dict[str, set[int]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(set))
    )
    for item_id, option, case_id, agency_id, return_id in tick_rows:
        tick_cases[item_id][option].add(case_id)
        tick_returns[item_id][agency_id][option].add(return_id)
    ticks = {
        item_id: {option: len(ids) for option, ids in case_options.items()}
        for item_id, case_options in tick_cases.items()
    }
    agency_ticks: dict[int, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for item_id, by_agency in tick_returns.items():
        for agency_id, agency_options in by_agency.items():
            agency_ticks[item_id][agency_id] = {
                option: len(ids) for option, ids in agency_options.items()
            }

    cases = len(cases_with_submitted)
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
                        AgencyChecklist(
                            agency_id=agency.agency_id,
                            agency_name=agency.agency_name,
                            returns=submitted_by_agency.get(agency.agency_id, 0),
                            options=[
                                Figure(
                                    option,
                                    agency_ticks[item.pk][agency.agency_id].get(option, 0),
                                    submitted_by_agency.get(agency.agency_id, 0),
                                )
                                for option in options
                            ],
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
                by_agency=_by_agency(agencies, theme["by_agency"], GRADES),
                agreement=Figure("Agreement", theme["moderated"][1], theme["moderated"][0]),
            )
        )

    total_moderated = sum(theme["moderated"][0] for theme in themes.values())
    total_agreed = sum(theme["moderated"][1] for theme in themes.values())
    return AuditResults(
        audit_id=audit.pk,
        use_moderated=use_moderated,
        cases=cases,
        cases_in_sample=len(cases_in_sample),
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
