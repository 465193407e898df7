"""A published audit of 15 children and its re-audit, with hand-counted figures.

Source audit ("Voice of the child deep dive 2025"): one agency (Riverbend Children's
Services) audits 15 children. Grade question "How well was the child's voice heard?": 8 of 15
Requires improvement or Inadequate (5 RI, 3 Inadequate), 7 Good or Outstanding. Yes/partly/no
"Was the child seen alone?": 6 yes, 9 no. Checklist "Which factors were present?":
Neglect in 9 of 15 cases.
"""

import datetime
from dataclasses import dataclass

from audits.models import Answer, AnswerTick, Audit, Question, QuestionSetItem, Return
from audits.services import audit_transition, case_create
from cases.models import Agency, Case
from findings.models import Action, Finding
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    AuditFactory,
    CaseAgencyFactory,
    CaseFactory,
    FindingFactory,
    QuestionFactory,
    QuestionSetFactory,
    QuestionSetItemFactory,
    ThemeFactory,
)

S = Return.Status
FACTORS = ["Neglect", "Domestic abuse"]


@dataclass
class Source:
    audit: Audit
    agency: Agency
    grade: Question
    seen_alone: Question
    factors: Question
    finding: Finding
    action: Action


def _answer(audit_return: Return, item: QuestionSetItem, choice: str = "", ticks=()) -> None:
    answer = Answer.objects.create(audit_return=audit_return, item=item, choice=choice)
    for option in ticks:
        AnswerTick.objects.create(answer=answer, option=option)


def answer_returns(audit: Audit, plan: list[tuple[str, str, list[str]]]) -> None:
    """Submit the audit's returns in pseudonym order: (grade, yes/partly/no, ticks) each."""
    items = {item.question_id: item for item in audit.question_set.items.all()}
    returns = list(Return.objects.filter(audit=audit).order_by("case__pseudonym"))
    for audit_return, (grade, seen, ticks) in zip(returns, plan, strict=False):
        for item in items.values():
            if item.kind == Question.Kind.GRADE:
                _answer(audit_return, item, grade)
            elif item.kind == Question.Kind.YES_PARTLY_NO:
                _answer(audit_return, item, seen)
            elif item.kind == Question.Kind.CHECKLIST:
                _answer(audit_return, item, ticks=ticks)
        audit_return.status = S.SUBMITTED
        audit_return.save(update_fields=["status"])


SOURCE_PLAN = (
    [("requires_improvement", "no", ["Neglect"])] * 5
    + [("inadequate", "no", ["Neglect"])] * 3
    + [("good", "no", ["Neglect"])]
    + [("good", "yes", [])] * 4
    + [("outstanding", "yes", ["Domestic abuse"])] * 2
)


def published_source(status: str = Audit.Status.PUBLISHED) -> Source:
    voice = ThemeFactory(name="Voice of the child", order=2)
    context = ThemeFactory(name="Child and family context", order=1)
    other = ThemeFactory(name="Recognition", order=3)
    grade = QuestionFactory(theme=voice, text="How well was the child's voice heard?")
    seen = QuestionFactory(
        theme=voice, kind=Question.Kind.YES_PARTLY_NO, text="Was the child seen alone?"
    )
    factors = QuestionFactory(
        theme=context,
        kind=Question.Kind.CHECKLIST,
        text="Which factors were present?",
        options=FACTORS,
    )
    unrelated = QuestionFactory(theme=other, text="Were the signs recognised?")
    question_set = QuestionSetFactory(name="Voice of the child set")
    for question in (factors, grade, seen, unrelated):
        QuestionSetItemFactory(question_set=question_set, question=question)
    audit = AuditFactory(
        title="Voice of the child deep dive 2025",
        question_set=question_set,
        status=Audit.Status.OPEN,
        returns_open=datetime.date(2025, 3, 1),
        returns_due=datetime.date(2025, 3, 29),
    )
    agency = AgencyFactory(name="Riverbend Children's Services", short_name="CS")
    for n in range(15):
        case = CaseFactory(audit=audit, pseudonym=f"VC{n + 1:02d}")
        CaseAgencyFactory(case=case, agency=agency)
        Return.objects.create(audit=audit, case=case, agency=agency)
    answer_returns(audit, SOURCE_PLAN)
    Audit.objects.filter(pk=audit.pk).update(status=status)
    audit.refresh_from_db()
    finding = FindingFactory(
        audit=audit, theme=voice, kind="development", text="Children's views were not recorded."
    )
    action = ActionFactory(
        audit=audit,
        owner_agency=agency,
        text="Train social workers to record the child's own words.",
        due_date=datetime.date(2025, 9, 30),
    )
    action.findings.add(finding)
    return Source(audit, agency, grade, seen, factors, finding, action)


def new_children(audit: Audit, agency: Agency, actor, count: int) -> list[Case]:
    return [
        case_create(
            audit=audit,
            actor=actor,
            pseudonym=f"NC{n + 1:02d}",
            age_band=Case.AgeBand.AGE_5_9,
            gender=Case.Gender.MALE,
            level_of_need=Case.LevelOfNeed.CHILD_IN_NEED,
            agencies={agency: f"CS-{n + 1:05d}"},
        )
        for n in range(count)
    ]


def open_audit(audit: Audit, actor) -> None:
    audit_transition(audit=audit, to_status=Audit.Status.OPEN, actor=actor)
