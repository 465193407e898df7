"""The child's page form: the meeting's judgement of one child. Built from the themes that
ask for grades; it only shapes the input, findings.services.case_judgement checks and writes it."""

from django import forms
from django.utils.html import format_html

from audits.models import TEXT_LIMIT, Grade

from .case_models import AGREED_REASON_LIMIT, DIFFERENCE_DESCRIPTORS, DifferenceMade


def _difference_choices() -> list[tuple[str, str]]:
    return [
        (value, format_html("<strong>{}</strong>. {}", label, DIFFERENCE_DESCRIPTORS[value]))
        for value, label in DifferenceMade.choices
    ]


class CaseJudgementForm(forms.Form):
    lived_experience = forms.CharField(
        label="What was life like for the child?",
        required=False,
        max_length=TEXT_LIMIT,
        help_text="The meeting's summary of the child's lived experience, from every agency's "
        "return. Use the pseudonym only: no names, no record references.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    difference = forms.ChoiceField(
        label="What difference did the work make for the child?",
        required=False,
        choices=[],
        widget=forms.RadioSelect,
    )
    difference_text = forms.CharField(
        label="Why the meeting judged it so",
        required=False,
        max_length=TEXT_LIMIT,
        help_text="No names or record references.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, themes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        difference = self.fields["difference"]
        assert isinstance(difference, forms.ChoiceField)
        difference.choices = _difference_choices()
        self.themes = themes
        for theme in themes:
            self.fields[f"grade-{theme.theme_id}"] = forms.ChoiceField(
                label=f"Agreed grade for {theme.name}",
                required=False,
                choices=[("", "No agreed grade yet"), *Grade.choices],
            )
            self.fields[f"reason-{theme.theme_id}"] = forms.CharField(
                label=f"Reason for the agreed grade for {theme.name}",
                required=False,
                max_length=AGREED_REASON_LIMIT,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
