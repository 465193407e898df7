"""Forms for a key event and for a query on one answer. They only shape the input: the
services check it (dates, the disclosure check, who may write) and their errors are put back
on these fields by the views."""

from django import forms

from .event_models import EVENT_TEXT_LIMIT, EventKind
from .query_models import QUERY_TEXT_LIMIT

NO_NAMES_HELP = "One line: what happened, without names or identifiers."


class KeyEventForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    when = forms.CharField(
        label="Date",
        max_length=20,
        help_text="14/03/2025, or only the month: 03/2025.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    kind: forms.ModelChoiceField = forms.ModelChoiceField(
        label="What happened", queryset=EventKind.objects.none(), empty_label="Choose…"
    )
    text = forms.CharField(
        label="In a line",
        max_length=EVENT_TEXT_LIMIT,
        required=False,
        help_text=f"{NO_NAMES_HELP} Up to {EVENT_TEXT_LIMIT} characters.",
    )

    def __init__(self, *args, kinds, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ModelChoiceField)
        kind.queryset = kinds


class QueryRaiseForm(forms.Form):
    question = forms.CharField(
        label="Your question about this answer",
        max_length=QUERY_TEXT_LIMIT,
        help_text=f'For example "The evidence describes one visit; is Good right?" Up to '
        f"{QUERY_TEXT_LIMIT:,} characters. No names or identifiers.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QueryReplyForm(forms.Form):
    reply = forms.CharField(
        label="Your reply",
        max_length=QUERY_TEXT_LIMIT,
        help_text=f"The business team reads it beside the answer. Up to {QUERY_TEXT_LIMIT:,} "
        "characters. No names or identifiers.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QueryCloseForm(forms.Form):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=QUERY_TEXT_LIMIT,
        error_messages={"max_length": f"Keep it to {QUERY_TEXT_LIMIT:,} characters or fewer."},
        help_text='Why the query is closed, e.g. "Settled at the moderation meeting." No names '
        "or identifiers.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
