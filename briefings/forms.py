"""Validation only: forms never save(); views pass cleaned_data to briefings.services."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.html import format_html

from audits.models import Audit
from findings.models import Quote, Resource

from .data import GUIDANCE, SECTIONS
from .formatting import rules_help
from .models import Briefing, BriefingUse


class BriefingForm(forms.ModelForm):
    resources = forms.ModelMultipleChoiceField(
        queryset=Resource.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Resources to list under point 7",
    )
    quotes = forms.ModelMultipleChoiceField(
        queryset=Quote.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Quotes to show (only consented quotes, approved when from a survey, are offered)",
    )
    # The copy of the briefing this page was loaded at (Briefing.edit_version): a save from an
    # older copy is refused instead of overwriting someone else's text. Not required here so
    # the live preview reads a form without it; the saving views insist on it.
    version = forms.IntegerField(
        min_value=0, max_value=2_147_483_647, required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = Briefing
        fields = [
            "title",
            "summary",
            "topic",
            "working_well",
            "development",
            "will_do",
            "next_steps",
            "resources_text",
            "show_grade_chart",
            "show_risk_factors",
            "show_zero_factors",
            "show_engagement",
            "show_quotes",
            "resources",
            "quotes",
        ]

    def __init__(self, *args, audit: Audit, resources, quotes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resources"].queryset = resources
        self.fields["quotes"].queryset = quotes
        self.fields["quotes"].label_from_instance = lambda q: f"“{q.text}” ({q.source_label})"
        self.fields["version"].initial = self.instance.edit_version
        self.fields["title"].help_text = "Plain text: no formatting in the title."
        for section in SECTIONS:
            field = self.fields[section.field]
            field.label = f"{section.number}. {section.heading(audit.priority)}"
            field.help_text = format_html("{} {}", GUIDANCE[section.field], rules_help())
            field.widget = forms.Textarea(attrs={"rows": 8 if section.number in {3, 4} else 5})


class UseForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=None, empty_label="Choose your agency")
    used_on = forms.DateField(
        label="Date used",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="e.g. 14/03/2026",
    )
    format = forms.ChoiceField(
        label="Format",
        choices=BriefingUse.Format.choices,
        widget=forms.RadioSelect,
    )
    staff_reached = forms.IntegerField(
        label="Attendance",
        min_value=1,
        max_value=100_000,
        help_text="How many people it reached: those at the event, or a bulletin's readers.",
    )
    how = forms.CharField(
        label="Notes (optional)",
        max_length=300,
        required=False,
        help_text='e.g. "North locality team" or "Induction for new starters".',
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies

    def clean_used_on(self) -> datetime.date:
        used_on = self.cleaned_data["used_on"]
        if used_on > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return used_on


class PublishedFilterForm(forms.Form):
    priority = forms.ChoiceField(required=False, label="Partnership priority")
    year = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Year")

    def __init__(self, *args, priorities: list[str], years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].choices = [("", "All priorities")] + [(p, p) for p in priorities]
        self.fields["year"].choices = [("", "All years")] + [(str(y), str(y)) for y in years]
