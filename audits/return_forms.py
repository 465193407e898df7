"""The return form: a Django form built from the frozen questions of an audit's question set.

Field names and the value of an answer are in audits.answers. Every field is optional here: a
draft may be partial. Whether the required questions are answered is checked by `return_submit`.
"""

from django import forms

from .answers import (
    KINDS_WITH_EVIDENCE,
    NUMBER_LIMIT,
    AnswerValue,
    checklist_options,
    evidence_name,
    field_anchor,
    field_name,
)
from .models import SHORT_TEXT_LIMIT, TEXT_LIMIT, Grade, Question, QuestionSetItem
from .models import YesPartlyNo as YPN


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
