"""Forms of the survey builder and of the public survey page. Forms validate; services save."""

import uuid

from crispy_forms.helper import FormHelper
from django import forms

from cases.models import Agency

from .issuing import MAX_BATCH
from .models import Survey, SurveyQuestion


class _CrispyForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class SurveyCreateForm(_CrispyForm):
    audience = forms.ChoiceField(
        label="Who is this version for?", choices=Survey.Audience.choices, widget=forms.RadioSelect
    )


class SurveyForm(_CrispyForm):
    title = forms.CharField(label="Title", max_length=160)
    introduction = forms.CharField(
        label="What happens to the answers (shown first)",
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class QuestionForm(_CrispyForm):
    kind = forms.ChoiceField(
        label="Kind of question", choices=SurveyQuestion.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label="Question",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Short sentences and everyday words: the check below counts them as you type.",
    )
    hint = forms.CharField(
        label="Hint under the question (optional)", required=False, max_length=300
    )
    options = forms.CharField(
        label="Choices (pick from a list only): one a line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_text(self) -> str:
        return " ".join(self.cleaned_data["text"].split())

    def clean_options(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


class BatchForm(_CrispyForm):
    label = forms.CharField(
        label="Label for this batch",
        max_length=120,
        help_text='Where the codes go, never who gets them: "Rapid response service, parents".',
    )
    size = forms.IntegerField(label="How many codes", min_value=1, max_value=MAX_BATCH, initial=20)
    agency = forms.ModelChoiceField(
        label="Agency (for a practitioners' pulse: results by agency)",
        queryset=Agency.objects.none(),
        required=False,
    )
    request_key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, with_agency: bool = False, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("request_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        if with_agency:
            self.fields["agency"].queryset = Agency.objects.order_by("name")
        else:
            del self.fields["agency"]


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Your code",
        max_length=40,
        help_text="It is on your letter or in your message, for example KX7P-M3QD-9TWA.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
