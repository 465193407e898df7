"""The return form: a Django form built from the frozen questions of an audit's question set.

Field names are stable and derived from the question-set item: `q<item id>` for the answer and
`q<item id>_evidence` for the evidence box. Every field is optional here: a draft may be
partial. Whether the required questions are answered is checked by `return_submit`.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from .models import SHORT_TEXT_LIMIT, TEXT_LIMIT, Answer, Grade, Question, QuestionSetItem
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


class ReturnForm(forms.Form):
    """Built from the items; `answers` (item id -> AnswerValue) give the initial values."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self,
        *args,
        items: list[QuestionSetItem],
        answers: dict[int, AnswerValue] | None = None,
        disabled: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.items = items
        answers = answers or {}
        for item in items:
            value = answers.get(item.pk, AnswerValue())
            label = item.text if item.required else f"{item.text} (optional)"
            name = field_name(item)
            if item.kind == Question.Kind.GRADE:
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    choices=Grade.choices,
                    widget=forms.RadioSelect,
                    required=False,
                    initial=value.choice,
                    help_text=item.help_text,
                )
            elif item.kind == Question.Kind.YES_PARTLY_NO:
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    choices=YPN.choices,
                    widget=forms.RadioSelect,
                    required=False,
                    initial=value.choice,
                    help_text=item.help_text,
                )
            elif item.kind == Question.Kind.CHECKLIST:
                self.fields[name] = forms.MultipleChoiceField(
                    label=label,
                    choices=[(option, option) for option in checklist_options(item)],
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                    initial=sorted(value.ticks),
                    help_text=item.help_text or "Tick every one that applies.",
                )
            elif item.kind == Question.Kind.NUMBER:
                self.fields[name] = forms.DecimalField(
                    label=label,
                    max_digits=10,
                    decimal_places=2,
                    min_value=-NUMBER_LIMIT,
                    max_value=NUMBER_LIMIT,
                    required=False,
                    initial=value.number,
                    help_text=item.help_text,
                    widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
                )
            else:
                self.fields[name] = forms.CharField(
                    label=label,
                    max_length=TEXT_LIMIT,
                    required=False,
                    strip=False,
                    initial=value.text,
                    help_text=_with_limit(item.help_text, TEXT_LIMIT),
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
            if item.kind in KINDS_WITH_EVIDENCE:
                self.fields[evidence_name(item)] = forms.CharField(
                    label="Evidence" if item.kind == Question.Kind.GRADE else "Evidence (optional)",
                    max_length=TEXT_LIMIT,
                    required=False,
                    strip=False,
                    initial=value.evidence,
                    help_text=_with_limit(
                        "What in the record shows this? No names or identifiers.", TEXT_LIMIT
                    ),
                    # The visible label is short; screen readers also hear which question.
                    widget=forms.Textarea(
                        attrs={"rows": 3, "aria-label": f"Evidence for: {item.text}"}
                    ),
                )
        if disabled:
            for form_field in self.fields.values():
                form_field.disabled = True

    def answer_data(self) -> dict[int, AnswerValue]:
        """The cleaned answers by item id (call after is_valid())."""
        data = {}
        for item in self.items:
            value = self.cleaned_data.get(field_name(item))
            evidence = self.cleaned_data.get(evidence_name(item)) or ""
            if item.kind in KINDS_WITH_EVIDENCE:
                data[item.pk] = AnswerValue(choice=value or "", evidence=evidence)
            elif item.kind == Question.Kind.CHECKLIST:
                data[item.pk] = AnswerValue(ticks=frozenset(value or []))
            elif item.kind == Question.Kind.NUMBER:
                data[item.pk] = AnswerValue(number=value)
            else:
                data[item.pk] = AnswerValue(text=value or "")
        return data

    def error_list(self) -> list[tuple[str, str]]:
        """(anchor id, message) for the error summary, in question order."""
        by_name = {field_name(item): item for item in self.items}
        by_evidence = {evidence_name(item): item for item in self.items}
        errors: list[tuple[str, str]] = []
        for name, messages in self.errors.items():
            if name in by_name:
                anchor, label = field_anchor(by_name[name]), by_name[name].text
            elif name in by_evidence:
                anchor, label = f"id_{name}", f"Evidence for “{by_evidence[name].text}”"
            else:
                anchor, label = "", "This form"
            errors.extend((anchor, f"{label}: {message}") for message in messages)
        return errors


def _with_limit(help_text: str, limit: int) -> str:
    suffix = f"Up to {limit:,} characters."
    return f"{help_text} {suffix}" if help_text else suffix


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


class AmendmentForm(forms.Form):
    reason = forms.CharField(
        label="Why does this return need amending?",
        max_length=SHORT_TEXT_LIMIT,
        help_text=f"The practitioner sees this on the return. Up to {SHORT_TEXT_LIMIT:,} "
        "characters. No names or identifiers.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReassignForm(forms.Form):
    assignee: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Assign to",
        queryset=None,
        empty_label=None,
        help_text="A practitioner of the agency.",
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ModelChoiceField)
        assignee.queryset = members


class ConcernForm(forms.Form):
    description = forms.CharField(
        label="What is the concern about the child's safety now?",
        max_length=2000,
        help_text="Up to 2,000 characters. This is not emailed: the business team and your "
        "agency's safeguarding lead are told a concern was raised and read it here.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ConcernResolveForm(forms.Form):
    action_taken = forms.CharField(
        label="What action was taken?",
        max_length=2000,
        help_text="Up to 2,000 characters. Recording the action closes the concern.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
