"""The "Check with a re-audit" form; findings/reaudits.py schedules it."""

import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from audits.models import Audit

from .models import Action


class ReAuditForm(forms.Form):
    title = forms.CharField(
        label="Title of the re-audit",
        max_length=200,
        error_messages={"required": "Give the re-audit a title."},
    )
    returns_open = forms.DateField(
        label="Returns open",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Choose the date returns open.", "invalid": "Enter a date."},
    )
    returns_due = forms.DateField(
        label="Returns due",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Choose the date returns are due.", "invalid": "Enter a date."},
    )
    same_children = forms.BooleanField(
        label="Audit the same children again",
        required=False,
        help_text="Each child of the first audit is added with the same agencies, and gets a "
        "new return when the re-audit opens. Leave unticked to choose new children.",
    )
    actions = forms.ModelMultipleChoiceField(
        label="Actions this re-audit tests",
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, source: Audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actions"].queryset = Action.objects.filter(audit=source).order_by(
            "due_date", "pk"
        )
        self.fields["actions"].label_from_instance = lambda a: (
            f"{a.text} (due {a.due_date:%d %B %Y}, {a.get_status_display().lower()})"
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    @staticmethod
    def initial_for(source: Audit, actions: list[Action]) -> dict:
        start = timezone.localdate() + datetime.timedelta(days=28)
        return {
            "title": f"{source.title}: re-audit"[:200],
            "returns_open": start,
            "returns_due": start + datetime.timedelta(days=28),
            "same_children": True,
            "actions": [action.pk for action in actions],
        }
