"""Reads for the child's page: one child in one audit, every agency's submitted answers side
by side theme by theme, who submitted and when, the open immediate concerns, what the meeting
agreed and the merged chronology. Business team only: the caller loads the child through
audits.selectors.sample_case_get_for_business_team. A fixed number of queries whatever the
number of agencies and questions."""

from dataclasses import dataclass, field

from audits.answers import AnswerValue
from audits.models import (
    Answer,
    Grade,
    ImmediateConcern,
    Question,
    QuestionSetItem,
    Return,
    SampleCase,
)

from .case_models import AgreedGrade, CaseJudgement
from .chronology import Chronology, chronology_of_child


@dataclass
class QuestionRow:
    item: QuestionSetItem
    cells: list[dict | None]  # one per agency column: {"value", "evidence", "ticks"} or None


@dataclass
class ThemeBlock:
    theme_id: int
    name: str
    questions: list[QuestionRow] = field(default_factory=list)
    has_grades: bool = False
    agreed: AgreedGrade | None = None


@dataclass
class ChildPage:
    sample_case: SampleCase
    returns: list[Return]  # every return of the child, by agency name
    submitted: list[Return]  # the columns: submitted returns only
    themes: list[ThemeBlock]
    concerns: list[ImmediateConcern]
    judgement: CaseJudgement | None
    chronology: Chronology


def _cell(item: QuestionSetItem, answer: Answer | None) -> dict | None:
    if answer is None:
        return None
    value = AnswerValue.from_answer(answer)
    shown = AnswerValue(
        choice=value.choice, number=value.number, text=value.text, ticks=value.ticks
    ).display(item)
    return {
        "value": shown,
        "choice": value.choice if item.kind == Question.Kind.GRADE else "",
        "evidence": value.evidence,
        "moderated": Grade(answer.moderated_choice).label if answer.moderated_choice else "",
        "answer_id": answer.pk,
    }


def child_page(sample_case: SampleCase) -> ChildPage:
    audit = sample_case.audit
    returns = list(
        Return.objects.filter(audit=audit, case_id=sample_case.case_id)
        .select_related("agency", "submitted_by")
        .order_by("agency__name")
    )
    submitted = [r for r in returns if r.status == Return.Status.SUBMITTED]
    items = list(
        QuestionSetItem.objects.filter(question_set_id=audit.question_set_id).order_by(
            "order", "pk"
        )
    )
    answers = {
        (answer.audit_return_id, answer.item_id): answer
        for answer in Answer.objects.filter(audit_return__in=submitted).prefetch_related("ticks")
    }
    agreed = {
        grade.theme_id: grade
        for grade in AgreedGrade.objects.filter(sample_case=sample_case).select_related(
            "updated_by"
        )
    }
    themes: list[ThemeBlock] = []
    for item in items:
        if not themes or themes[-1].theme_id != item.theme_id:
            themes.append(ThemeBlock(theme_id=item.theme_id, name=item.theme_name))
        block = themes[-1]
        block.has_grades = block.has_grades or item.kind == Question.Kind.GRADE
        block.questions.append(
            QuestionRow(
                item=item, cells=[_cell(item, answers.get((r.pk, item.pk))) for r in submitted]
            )
        )
    for block in themes:
        block.agreed = agreed.get(block.theme_id)
    concerns = list(
        ImmediateConcern.objects.filter(audit_return__in=returns, resolved_at__isnull=True)
        .select_related("audit_return__agency", "raised_by")
        .order_by("raised_at")
    )
    judgement = CaseJudgement.objects.filter(sample_case=sample_case).first()
    return ChildPage(
        sample_case=sample_case,
        returns=returns,
        submitted=submitted,
        themes=themes,
        concerns=concerns,
        judgement=judgement,
        chronology=chronology_of_child(audit, sample_case.case_id),
    )
