"""Open audits with one question of every kind, for the returns tests. Text is about the
fictional Riverbend Safeguarding Children Partnership."""

from dataclasses import dataclass, field

from audits.answers import evidence_name, field_name
from audits.models import Audit, Question, QuestionSetItem, Return
from cases.models import Agency, Case
from tests.factories import (
    AuditFactory,
    CaseAgencyFactory,
    CaseFactory,
    QuestionFactory,
    QuestionSetFactory,
    QuestionSetItemFactory,
    RecordReferenceFactory,
    ReturnFactory,
    ThemeFactory,
    free_pseudonym,
)

RISKS = ["Neglect", "Domestic abuse", "Young carer"]


@dataclass
class OpenAudit:
    audit: Audit
    items: dict[str, QuestionSetItem]  # by kind: grade, ynp, checklist, number, text
    cases: list[Case] = field(default_factory=list)
    returns: dict[tuple[int, int], Return] = field(default_factory=dict)  # (case, agency)

    def return_for(self, agency: Agency, case_index: int = 0) -> Return:
        return self.returns[(self.cases[case_index].pk, agency.pk)]


def question_items(question_set) -> dict[str, QuestionSetItem]:
    voice = ThemeFactory(name="Voice of the child", order=1)
    risks = ThemeFactory(name="Risk factors", order=2)
    specs = [
        ("grade", voice, Question.Kind.GRADE, "How well were the child's wishes recorded?", True),
        (
            "ynp",
            voice,
            Question.Kind.YES_PARTLY_NO,
            "Did the plan reflect what the child said?",
            True,
        ),
        ("checklist", risks, Question.Kind.CHECKLIST, "Which risk factors were present?", True),
        (
            "number",
            risks,
            Question.Kind.NUMBER,
            "How many agencies attended the last meeting?",
            False,
        ),
        ("text", risks, Question.Kind.TEXT, "Anything else the panel should know?", False),
    ]
    items = {}
    for order, (key, theme, kind, text, required) in enumerate(specs):
        question = QuestionFactory(
            theme=theme,
            kind=kind,
            text=text,
            required=required,
            options=RISKS if kind == Question.Kind.CHECKLIST else [],
        )
        items[key] = QuestionSetItemFactory(
            question_set=question_set, question=question, order=order
        )
    return items


def build_open_audit(
    *, agencies: list[Agency], cases: int = 1, status=Audit.Status.OPEN, **audit_kwargs
):
    """An audit with `cases` cases, each involving every agency (with a record reference) and
    a return per case × agency."""
    question_set = QuestionSetFactory()
    audit = AuditFactory(question_set=question_set, status=status, **audit_kwargs)
    built = OpenAudit(audit=audit, items=question_items(question_set))
    for n in range(cases):
        case = CaseFactory(audit=audit, pseudonym=free_pseudonym(f"Riverbend child {n + 1}", audit))
        built.cases.append(case)
        for agency in agencies:
            involvement = CaseAgencyFactory(case=case, agency=agency)
            RecordReferenceFactory(involvement=involvement, reference=f"RB-{agency.pk}-{n:04d}")
            built.returns[(case.pk, agency.pk)] = ReturnFactory(
                case=case, audit=audit, agency=agency
            )
    return built


def add_checklist_questions(built: OpenAudit, count: int) -> None:
    """More questions in the audit's set, for query-count tests with 1 and with 3 extra."""
    for _ in range(count):
        QuestionSetItemFactory(
            question_set=built.audit.question_set,
            question__kind="checklist",
            question__options=["One", "Two"],
        )


def answers_post(built: OpenAudit, version: int, **values) -> dict:
    """POST data for the return form. values by kind: grade="good", grade_evidence="...",
    ynp="yes", checklist=[...], number="3", text="..."."""
    items = built.items
    data = {"version": str(version)}
    for key in ("grade", "ynp"):
        data[field_name(items[key])] = values.get(key, "")
        data[evidence_name(items[key])] = values.get(f"{key}_evidence", "")
    data[field_name(items["checklist"])] = values.get("checklist", [])
    data[field_name(items["number"])] = values.get("number", "")
    data[field_name(items["text"])] = values.get("text", "")
    return data


def complete_post(built: OpenAudit, version: int) -> dict:
    return answers_post(
        built,
        version,
        grade="good",
        grade_evidence="Wishes written up after each home visit.",
        ynp="partly",
        checklist=["Neglect"],
    )
