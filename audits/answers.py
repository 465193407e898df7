"""An answer's value and its checks, shared by the return form (audits.return_forms) and the
return services, which check every value themselves so that a caller that skips the form still
cannot store a wrong-type answer.

Field names are stable and derived from the question-set item: `q<item id>` for the answer and
`q<item id>_evidence` for the evidence box.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError

from .models import TEXT_LIMIT, Answer, Grade, Question, QuestionSetItem
from .models import YesPartlyNo as YPN

NUMBER_LIMIT = Decimal("99999999.99")
KINDS_WITH_EVIDENCE = {Question.Kind.GRADE, Question.Kind.YES_PARTLY_NO}


@dataclass(frozen=True)
class AnswerValue:
    """One question's answer, normalised so a form, the database and a conflict can be
    compared field by field."""

    choice: str = ""
    number: Decimal | None = None
    text: str = ""
    evidence: str = ""
    ticks: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_answer(cls, answer: Answer | None) -> "AnswerValue":
        if answer is None:
            return cls()
        return cls(
            choice=answer.choice,
            number=answer.number,
            text=answer.text,
            evidence=answer.evidence,
            ticks=frozenset(tick.option for tick in answer.ticks.all()),
        )

    def is_answered(self, item: QuestionSetItem, *, saved: bool = True) -> bool:
        """Grade and yes/partly/no need a choice, number and text a value. A checklist with no
        ticks is a valid answer ("none of these") once it has been saved."""
        if item.kind in KINDS_WITH_EVIDENCE:
            return bool(self.choice)
        if item.kind == Question.Kind.NUMBER:
            return self.number is not None
        if item.kind == Question.Kind.TEXT:
            return bool(self.text.strip())
        return saved

    def display(self, item: QuestionSetItem) -> str:
        """How the answer reads to a person (for conflict messages)."""
        parts = []
        if item.kind == Question.Kind.GRADE and self.choice:
            parts.append(Grade(self.choice).label)
        elif item.kind == Question.Kind.YES_PARTLY_NO and self.choice:
            parts.append(YPN(self.choice).label)
        elif item.kind == Question.Kind.NUMBER and self.number is not None:
            parts.append(f"{self.number.normalize():f}")
        elif item.kind == Question.Kind.TEXT and self.text:
            parts.append(_shorten(self.text))
        elif item.kind == Question.Kind.CHECKLIST:
            parts.append(", ".join(sorted(self.ticks)) or "nothing ticked")
        if self.evidence:
            parts.append(f"evidence: {_shorten(self.evidence)}")
        return "; ".join(parts) or "no answer"


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def field_name(item: QuestionSetItem) -> str:
    return f"q{item.pk}"


def evidence_name(item: QuestionSetItem) -> str:
    return f"q{item.pk}_evidence"


def field_anchor(item: QuestionSetItem) -> str:
    """The id of the first input of the question, for error links."""
    if item.kind in KINDS_WITH_EVIDENCE or (item.kind == Question.Kind.CHECKLIST and item.options):
        return f"id_q{item.pk}_0"
    return f"id_q{item.pk}"


def checklist_options(item: QuestionSetItem) -> list[str]:
    return [str(option) for option in item.options or [] if str(option).strip()]


def validate_answer_value(item: QuestionSetItem, value: AnswerValue) -> None:
    """The service's own check of a value against its question (a view's form already did
    this; a caller that skips the form still cannot store a wrong-type answer)."""
    kind = item.kind
    problems = [
        (kind == Question.Kind.GRADE and value.choice not in {"", *Grade.values})
        and "choose one of the grades",
        (kind == Question.Kind.YES_PARTLY_NO and value.choice not in {"", *YPN.values})
        and "choose yes, partly, no or not applicable",
        (kind not in KINDS_WITH_EVIDENCE and bool(value.choice or value.evidence))
        and "this question takes no grade or evidence",
        (kind == Question.Kind.CHECKLIST and not value.ticks <= set(checklist_options(item)))
        and "tick only the options listed",
        (kind != Question.Kind.CHECKLIST and bool(value.ticks))
        and "this question is not a checklist",
        (kind != Question.Kind.NUMBER and value.number is not None)
        and "this question takes no number",
        (kind == Question.Kind.NUMBER and not _valid_number(value.number))
        and "enter a number up to 99,999,999.99 with at most 2 decimal places",
        (kind != Question.Kind.TEXT and bool(value.text)) and "this question takes no free text",
        (len(value.text) > TEXT_LIMIT or len(value.evidence) > TEXT_LIMIT)
        and f"keep the text to {TEXT_LIMIT:,} characters",
    ]
    problem = next((p for p in problems if p), "")
    if problem:
        raise ValidationError(f"“{item.text}”: {problem}.", code="invalid_answer")


def _valid_number(number: object) -> bool:
    if number is None:
        return True
    return (
        isinstance(number, Decimal)
        and number.is_finite()
        and abs(number) <= NUMBER_LIMIT
        # A finite Decimal's exponent is an int (only NaN and infinity have a letter).
        and int(number.as_tuple().exponent) >= -2
    )
