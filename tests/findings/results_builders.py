"""Small audits with hand-computed results, for the aggregation, results, export and dashboard
tests. Text is about the fictional Riverbend Safeguarding Children Partnership."""

from dataclasses import dataclass, field

from audits.models import (
    Answer,
    AnswerTick,
    Audit,
    Question,
    QuestionSet,
    QuestionSetItem,
    Return,
    SampleCase,
    Theme,
)
from cases.models import Agency, Case, CaseAgency, Partnership, RecordReference
from tests.factories import (
    AgencyFactory,
    AuditFactory,
    CaseFactory,
    QuestionSetFactory,
    ThemeFactory,
    free_pseudonym,
)

RISK_FACTORS = ["Neglect", "Domestic abuse", "Parental mental health", "Young carer"]
TOOLS = ["Graded care profile", "Neglect toolkit"]

S = Return.Status


def item(question_set: QuestionSet, theme: Theme, text: str, kind: str, order: int, options=None):
    return QuestionSetItem.objects.create(
        question_set=question_set,
        theme=theme,
        theme_name=theme.name,
        text=text,
        kind=kind,
        options=options or [],
        order=order,
    )


def answer(audit_return: Return, question: QuestionSetItem, choice: str = "", **fields) -> Answer:
    ticks = fields.pop("ticks", [])
    created = Answer.objects.create(
        audit_return=audit_return, item=question, choice=choice, **fields
    )
    for option in ticks:
        AnswerTick.objects.create(answer=created, option=option)
    return created


def add_return(audit: Audit, case: Case, agency: Agency, status: str) -> Return:
    involvement = CaseAgency.objects.create(case=case, agency=agency)
    RecordReference.objects.create(
        involvement=involvement, reference=f"RB-{case.pseudonym}-{agency.short_name}-7731"
    )
    return Return.objects.create(audit=audit, case=case, agency=agency, status=status)


@dataclass
class FourCases:
    """The hand-computed example (see test_aggregation.py for the sums)."""

    audit: Audit
    agencies: dict[str, Agency]
    returns: dict[str, Return]
    items: dict[str, QuestionSetItem]
    answers: dict[str, Answer] = field(default_factory=dict)


def four_case_audit(*, status: str = Audit.Status.MODERATION, agencies=None) -> FourCases:
    """Four cases. Agencies A and B audit every case, C only YP4.

    Submitted: YP1-A, YP1-B, YP2-A, YP3-A, YP3-B, YP4-C. In progress: YP2-B, YP4-B.
    Not started: YP4-A.
    """
    recognition = ThemeFactory(name="Recognition", order=1)
    voice = ThemeFactory(name="Voice of the child", order=2)
    risks = ThemeFactory(name="Risk factors", order=3)
    question_set = QuestionSetFactory()
    items = {
        "G1": item(question_set, recognition, "Was the risk recognised early?", "grade", 1),
        "G2": item(question_set, recognition, "Were concerns escalated?", "grade", 2),
        "G3": item(question_set, voice, "Were the child's wishes recorded?", "grade", 3),
        "Y1": item(
            question_set, voice, "Was the child seen alone?", Question.Kind.YES_PARTLY_NO, 4
        ),
        "R": item(
            question_set, risks, "Risk factors present", Question.Kind.CHECKLIST, 5, RISK_FACTORS
        ),
        "T": item(question_set, risks, "Tools used", Question.Kind.CHECKLIST, 6, TOOLS),
        "N": item(question_set, risks, "Agencies involved", Question.Kind.NUMBER, 7),
    }
    audit = AuditFactory(
        title="Riverbend neglect deep dive", question_set=question_set, status=status
    )
    agencies = agencies or {
        "A": AgencyFactory(name="Riverbend Children's Services", short_name="CS"),
        "B": AgencyFactory(name="Riverbend Police", short_name="POL"),
        "C": AgencyFactory(name="Riverbend School Nursing", short_name="SN"),
    }
    cases = {
        name: CaseFactory(audit=audit, pseudonym=free_pseudonym(name, audit))
        for name in ("YP1", "YP2", "YP3", "YP4")
    }
    plan = {
        "YP1-A": S.SUBMITTED,
        "YP1-B": S.SUBMITTED,
        "YP2-A": S.SUBMITTED,
        "YP2-B": S.IN_PROGRESS,
        "YP3-A": S.SUBMITTED,
        "YP3-B": S.SUBMITTED,
        "YP4-A": S.NOT_STARTED,
        "YP4-B": S.IN_PROGRESS,
        "YP4-C": S.SUBMITTED,
    }
    returns = {}
    for key, return_status in plan.items():
        case_name, agency_key = key.split("-")
        returns[key] = add_return(audit, cases[case_name], agencies[agency_key], return_status)

    built = FourCases(audit=audit, agencies=agencies, returns=returns, items=items)
    r, g1, g2, g3, y1 = returns, items["G1"], items["G2"], items["G3"], items["Y1"]
    risk, tools = items["R"], items["T"]
    a = built.answers
    # Recognition grades (G1, G2)
    a["YP1-A-G1"] = answer(r["YP1-A"], g1, "good", evidence="Referral made the same day.")
    a["YP1-A-G2"] = answer(r["YP1-A"], g2, "outstanding")
    a["YP1-B-G1"] = answer(
        r["YP1-B"], g1, "requires_improvement", evidence='=HYPERLINK("http://x")'
    )
    a["YP1-B-G2"] = answer(r["YP1-B"], g2, "not_applicable")
    a["YP2-A-G1"] = answer(r["YP2-A"], g1, "good")
    a["YP2-A-G2"] = answer(r["YP2-A"], g2, "good")
    a["YP3-A-G1"] = answer(r["YP3-A"], g1, "inadequate", evidence="No strategy discussion.")
    a["YP3-A-G2"] = answer(r["YP3-A"], g2, "")  # left blank: not an answer
    a["YP3-B-G1"] = answer(r["YP3-B"], g1, "good")
    a["YP3-B-G2"] = answer(r["YP3-B"], g2, "not_applicable")
    a["YP4-C-G1"] = answer(r["YP4-C"], g1, "good")
    a["YP4-C-G2"] = answer(r["YP4-C"], g2, "requires_improvement")
    a["YP2-B-G1"] = answer(r["YP2-B"], g1, "inadequate", evidence="Draft: not yet submitted.")
    # Voice of the child (G3, Y1)
    a["YP1-A-G3"] = answer(r["YP1-A"], g3, "outstanding", evidence="Her words are quoted.")
    a["YP1-B-G3"] = answer(r["YP1-B"], g3, "good")
    for key, choice in {
        "YP1-A": "yes",
        "YP1-B": "partly",
        "YP2-A": "no",
        "YP3-A": "yes",
        "YP3-B": "not_applicable",
        "YP4-C": "yes",
        "YP2-B": "no",
    }.items():
        a[f"{key}-Y1"] = answer(r[key], y1, choice)
    # Risk factors and tools
    for key, ticks in {
        "YP1-A": ["Neglect", "Parental mental health"],
        "YP1-B": ["Neglect", "Domestic abuse"],
        "YP2-A": ["Parental mental health"],
        "YP3-A": [],
        "YP3-B": ["Neglect"],
        "YP4-C": ["Young carer", "Neglect"],
        "YP2-B": ["Domestic abuse"],
        "YP4-B": ["Neglect"],
    }.items():
        a[f"{key}-R"] = answer(r[key], risk, ticks=ticks)
    for key, ticks in {
        "YP1-A": ["Graded care profile"],
        "YP3-B": ["Graded care profile"],
        "YP2-A": ["Neglect toolkit"],
    }.items():
        a[f"{key}-T"] = answer(r[key], tools, ticks=ticks)
    return built


def moderate_four_cases(built: FourCases) -> None:
    """Three moderated grades: one agrees with the agency, two do not."""
    for key, moderated in {
        "YP1-B-G1": "good",
        "YP3-A-G1": "inadequate",
        "YP1-A-G3": "good",
    }.items():
        Answer.objects.filter(pk=built.answers[key].pk).update(
            moderated_choice=moderated, moderation_reason="Agreed at the moderation meeting."
        )


def sized_audit(
    *, cases: int, agencies: list[Agency], status: str = Audit.Status.MODERATION, title=None
) -> Audit:
    """An audit of `cases` cases × the given agencies, every return submitted with a grade, a
    yes/partly/no answer with evidence and two ticks. Bulk-created for speed."""
    theme = ThemeFactory(name="Information sharing", order=5)
    checklist_theme = ThemeFactory(name="Risk factors", order=3)
    question_set = QuestionSetFactory()
    grade = item(question_set, theme, "Was information shared in time?", "grade", 1)
    ypn = item(question_set, theme, "Was consent recorded?", Question.Kind.YES_PARTLY_NO, 2)
    risk = item(question_set, checklist_theme, "Risk factors present", "checklist", 3, RISK_FACTORS)
    audit = AuditFactory(
        title=title or f"Audit of {cases} cases", question_set=question_set, status=status
    )
    partnership = Partnership.load()
    case_objects = Case.objects.bulk_create(
        Case(
            partnership=partnership,
            pseudonym=free_pseudonym(f"Child {n}", audit),
            age_band="5-9",
            gender="male",
            level_of_need="child_in_need",
        )
        for n in range(cases)
    )
    SampleCase.objects.bulk_create(SampleCase(audit=audit, case=case) for case in case_objects)
    Return.objects.bulk_create(
        Return(audit=audit, case=case, agency=agency, status=S.SUBMITTED)
        for case in case_objects
        for agency in agencies
    )
    grades = ["outstanding", "good", "requires_improvement", "inadequate", "not_applicable"]
    answers = []
    for n, audit_return in enumerate(Return.objects.filter(audit=audit).order_by("pk")):
        answers.append(
            Answer(
                audit_return=audit_return,
                item=grade,
                choice=grades[n % 5],
                evidence=f"Shared with the GP after {n} days.",
            )
        )
        answers.append(Answer(audit_return=audit_return, item=ypn, choice="yes"))
        answers.append(Answer(audit_return=audit_return, item=risk))
    Answer.objects.bulk_create(answers)
    AnswerTick.objects.bulk_create(
        AnswerTick(answer=a, option=option)
        for a in Answer.objects.filter(audit_return__audit=audit, item=risk)
        for option in RISK_FACTORS[:2]
    )
    return audit
