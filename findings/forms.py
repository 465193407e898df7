"""Forms validate input and lay it out; the services in findings/services.py save it."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.db.models import Prefetch
from django.utils import timezone

from audits.models import Answer, Audit, Return, Theme
from cases.models import Agency

from .models import QUOTE_LIMIT, Action, Finding, Resource, SubGroup
from .selectors import parse_owner, themes_for_audit
from .services import ACTION_TEXT_LIMIT, FINDING_TEXT_LIMIT


class _CrispyForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class FindingForm(_CrispyForm):
    kind = forms.ChoiceField(
        label="Type of finding", choices=Finding.Kind.choices, widget=forms.RadioSelect
    )
    theme = forms.TypedChoiceField(
        label="Theme",
        coerce=int,
        empty_value=None,
        error_messages={"required": "Choose the theme this finding is about."},
    )
    text = forms.CharField(
        label="Finding",
        max_length=FINDING_TEXT_LIMIT,
        error_messages={"required": "Write the finding: the text cannot be empty."},
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Write it as it should read in the briefing. Never include names or "
        "record references.",
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies it concerns (optional)",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Rendered by findings/source_returns_field.html (case · agency, with each return's
    # evidence and a filter box), not by crispy.
    source_returns = forms.ModelMultipleChoiceField(
        label="Source returns (optional, for traceability; never printed)",
        queryset=Return.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, audit: Audit, current_theme: Theme | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        used, others = themes_for_audit(audit)
        if current_theme and all(t.pk != current_theme.pk for t in used + others):
            others.append(current_theme)
        self._themes = {t.pk: t for t in used + others}
        choices: list = [("", "Choose a theme")]
        if used:
            choices.append(("Themes in this audit", [(t.pk, t.name) for t in used]))
        if others:
            choices.append(("Other themes", [(t.pk, t.name) for t in others]))
        self.fields["theme"].choices = choices
        self.fields["agencies"].queryset = Agency.objects.filter(active=True)
        self.fields["source_returns"].queryset = (
            Return.objects.filter(audit=audit)
            .select_related("case", "agency")
            .prefetch_related(
                Prefetch(
                    "answers",
                    queryset=Answer.objects.exclude(evidence="")
                    .select_related("item")
                    .order_by("item__order", "pk"),
                    to_attr="evidence_answers",
                )
            )
            .order_by("case__pseudonym", "agency__name")
        )
        self.helper.layout = Layout("kind", "theme", "text", "agencies")
        self.fields["source_returns"].label_from_instance = lambda r: (
            f"{r.case.pseudonym} – {r.agency.label}"
        )

    def source_return_choices(self) -> list[tuple[Return, bool]]:
        """Each return of the audit with whether it is ticked, for the template."""
        ticked = {str(value) for value in self["source_returns"].value() or []}
        return [(r, str(r.pk) in ticked) for r in self.fields["source_returns"].queryset]

    def clean_theme(self) -> Theme:
        pk = self.cleaned_data.get("theme")
        if pk not in self._themes:
            raise forms.ValidationError("Choose the theme this finding is about.")
        return self._themes[pk]

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Write the finding: the text cannot be empty.")
        return text


def owner_field_choices(*, current: Action | None = None) -> list:
    subgroups = SubGroup.objects.filter(active=True)
    if current and current.owner_subgroup_id:
        subgroups = SubGroup.objects.filter(active=True) | SubGroup.objects.filter(
            pk=current.owner_subgroup_id
        )
    return [
        ("", "Choose an owner"),
        ("Agencies", [(f"agency-{a.pk}", a.name) for a in Agency.objects.filter(active=True)]),
        ("Sub-groups", [(f"subgroup-{s.pk}", s.name) for s in subgroups.order_by("name")]),
    ]


class ActionForm(_CrispyForm):
    text = forms.CharField(
        label="Action",
        max_length=ACTION_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what will be done: the action cannot be empty."},
    )
    section = forms.ChoiceField(
        label="Briefing section", choices=Action.Section.choices, widget=forms.RadioSelect
    )
    owner = forms.ChoiceField(
        label="Owner (an agency or a sub-group)",
        error_messages={"required": "Choose one owner: an agency or a sub-group."},
    )
    due_date = forms.DateField(
        label="Due date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Give the date the action is due.",
            "invalid": "Enter the due date as a real date, for example 2026-03-31.",
        },
    )
    findings = forms.ModelMultipleChoiceField(
        label="Findings it responds to (optional)",
        queryset=Finding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, audit: Audit, action: Action | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owner_field_choices(current=action)
        self.fields["findings"].queryset = Finding.objects.filter(audit=audit).select_related(
            "theme"
        )
        self.fields["findings"].label_from_instance = lambda f: (
            f"{f.get_kind_display()} – {f.theme.name}: {f.text[:90]}"
        )
        if action is None:
            self.fields["due_date"].widget.attrs["min"] = timezone.localdate().isoformat()

    def clean_owner(self) -> tuple[Agency | None, SubGroup | None]:
        parsed = parse_owner(self.cleaned_data.get("owner", ""))
        if parsed is None:
            raise forms.ValidationError("Choose one owner: an agency or a sub-group.")
        kind, pk = parsed
        if kind == "agency":
            agency = Agency.objects.filter(pk=pk).first()
            if agency is None:
                raise forms.ValidationError("Choose one owner: an agency or a sub-group.")
            return agency, None
        subgroup = SubGroup.objects.filter(pk=pk).first()
        if subgroup is None:
            raise forms.ValidationError("Choose one owner: an agency or a sub-group.")
        return None, subgroup


class ActionStatusForm(_CrispyForm):
    status = forms.ChoiceField(label="Status", choices=Action.Status.choices)
    completion_evidence = forms.CharField(
        label="Completion evidence",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed to mark the action done: what shows practice changed.",
    )


class TrackerFilterForm(forms.Form):
    # Checked against the owners the user may filter by, not a ChoiceField: the tracker's
    # template writes the (long) list of options itself, and a set answers "is it one of
    # them?" without normalising every choice on each request.
    owner = forms.CharField(label="Owner", required=False)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Action.Status.choices]
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)
    q = forms.CharField(label="Search", required=False, max_length=100)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("due", "Due date, soonest first"),
            ("-due", "Due date, latest first"),
            ("status", "Status"),
            ("audit", "Audit"),
            ("owner", "Owner"),
        ],
    )

    def __init__(self, *args, owner_choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_values = {value for _, options in owner_choices for value, _ in options}
        for name in ("status", "sort"):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.fields["q"].widget = forms.TextInput(
            attrs={"class": "form-control", "type": "search", "maxlength": 100}
        )
        self.fields["overdue"].widget.attrs["class"] = "form-check-input"

    def clean_owner(self) -> str:
        owner = self.cleaned_data["owner"]
        if owner and owner not in self.owner_values:
            raise forms.ValidationError("Choose an owner from the list.", code="invalid_choice")
        return owner


class SubGroupForm(_CrispyForm):
    name = forms.CharField(label="Name", max_length=120)
    lead_name = forms.CharField(label="Lead's name", max_length=120, required=False)
    lead_email = forms.EmailField(
        label="Lead's email",
        required=False,
        help_text="Overdue actions of this sub-group are emailed here every week.",
    )


class EngagementForm(_CrispyForm):
    cyp_shared = forms.IntegerField(label="Surveys shared with children and young people")
    cyp_responses = forms.IntegerField(label="Responses from children and young people")
    parent_shared = forms.IntegerField(label="Surveys shared with parents and carers")
    parent_responses = forms.IntegerField(label="Responses from parents and carers")
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("cyp_shared", "cyp_responses", "parent_shared", "parent_responses"):
            self.fields[name].widget.attrs["min"] = 0

    def clean(self):
        data = super().clean()
        for field in ("cyp_shared", "cyp_responses", "parent_shared", "parent_responses"):
            value = data.get(field)
            if value is not None and value < 0:
                self.add_error(field, "Enter 0 or more: a count cannot be negative.")
        for shared, responses, who in (
            ("cyp_shared", "cyp_responses", "children and young people"),
            ("parent_shared", "parent_responses", "parents and carers"),
        ):
            if (
                data.get(shared) is not None
                and data.get(responses) is not None
                and data[responses] > data[shared] >= 0
            ):
                self.add_error(
                    responses,
                    f"There cannot be more responses ({data[responses]}) than surveys shared "
                    f"with {who} ({data[shared]}).",
                )
        return data


class QuoteForm(_CrispyForm):
    text = forms.CharField(
        label="Quote",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"At most {QUOTE_LIMIT} characters. Anonymised: no names or places.",
    )
    source_label = forms.CharField(
        label="Source label", max_length=80, help_text='For example "parent, survey".'
    )
    consent = forms.BooleanField(
        label="Consent given to publish this quote",
        required=False,
        help_text="Only quotes with consent are offered to briefings.",
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if len(text) > QUOTE_LIMIT:
            raise forms.ValidationError(
                f"A quote can be at most {QUOTE_LIMIT} characters (this one has {len(text)}): "
                "shorten it."
            )
        return text


class ResourceForm(_CrispyForm):
    title = forms.CharField(label="Title", max_length=200)
    url = forms.CharField(
        label="Web address",
        max_length=500,
        help_text="The full address, starting with https://",
        widget=forms.URLInput,
    )
    kind = forms.ChoiceField(label="Kind", choices=Resource.Kind.choices)
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    active = forms.BooleanField(
        label="Active (offered to new briefings)", required=False, initial=True
    )


class SurveyQuoteForm(_CrispyForm):
    text = forms.CharField(
        label="The quote, edited for anonymity",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"At most {QUOTE_LIMIT} characters. Take out names, places, schools and "
        "anything else that could say who wrote it or who they wrote about.",
    )
    source_label = forms.CharField(
        label="Source label", max_length=80, help_text='For example "young person, survey".'
    )
    checked = forms.BooleanField(
        label="I have read it for names, numbers and addresses and taken them out",
        required=False,
    )

    def __init__(self, *args, flagged: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not flagged:
            del self.fields["checked"]
