"""The answers each kind of question offers: (stored value, words, face). Faces are the five
drawings in static/img/faces/ (1 very sad .. 5 very happy); a 3-point scale uses 1, 3 and 5."""

from dataclasses import dataclass

from .models import SurveyQuestion

Kind = SurveyQuestion.Kind


@dataclass(frozen=True)
class Choice:
    value: str
    words: str
    face: int | None = None


CHOICES: dict[str, list[Choice]] = {
    Kind.SCALE_3: [Choice("1", "Not good", 1), Choice("2", "OK", 3), Choice("3", "Good", 5)],
    Kind.SCALE_5: [
        Choice("1", "Really bad", 1),
        Choice("2", "Bad", 2),
        Choice("3", "OK", 3),
        Choice("4", "Good", 4),
        Choice("5", "Really good", 5),
    ],
    Kind.YES_NOT_SURE_NO: [
        Choice("yes", "Yes"),
        Choice("not_sure", "Not sure"),
        Choice("no", "No"),
    ],
}


def choices_of(question: SurveyQuestion) -> list[Choice]:
    if question.kind == Kind.CHOICE:
        return [Choice(option, option) for option in question.options]
    return CHOICES.get(question.kind, [])


def words_of(question: SurveyQuestion, value: str) -> str:
    return next((c.words for c in choices_of(question) if c.value == value), value)
