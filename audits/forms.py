"""Forms of the audit programme, question bank, question sets and cases. They validate only:
views pass cleaned_data to the services in audits.services."""

from django import forms

from auditportal.text import validate_single_line
from cases.models import Agency, Case

from .models import SHORT_TEXT_LIMIT, Audit, Question, QuestionSet, Theme
from .services.programme import AUDIT_EDITABLE_FIELDS, MAX_OPTIONS, OPTION_LIMIT

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "description", "order", "active"]
        labels = {"active": "In use (untick to retire the theme)"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        self.fields[
            "order"
        ].help_text = (
            "Themes are listed from the lowest number up. Leave empty to add it at the end."
        )

    def _post_clean(self) -> None:
        # Validate without touching the instance: the service applies the change.
        name = self.cleaned_data.get("name", "")
        if Theme.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            self.add_error("name", "A theme with this name already exists.")


class QuestionForm(forms.Form):
    theme = forms.ModelChoiceField(queryset=Theme.objects.none())
    text = forms.CharField(label="Question", max_length=300)
    kind = forms.ChoiceField(label="Type of answer", choices=Question.Kind.choices)
    options = forms.CharField(
        label="Checklist options",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="For a checklist only: one option per line.",
    )
    help_text = forms.CharField(
        label="Guidance for auditors",
        required=False,
        max_length=SHORT_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    required = forms.BooleanField(
        label="An answer is required before a return can be submitted", required=False
    )
    active = forms.BooleanField(
        label="In use (untick to retire the question: past audits keep it)", required=False
    )

    def __init__(self, *args, question: Question | None = None, **kwargs) -> None:
        if question is not None:
            kwargs.setdefault(
                "initial",
                {
                    "theme": question.theme_id,
                    "text": question.text,
                    "kind": question.kind,
                    "options": "\n".join(question.options),
                    "help_text": question.help_text,
                    "required": question.required,
                    "active": question.active,
                },
            )
        else:
            kwargs.setdefault("initial", {"required": True, "active": True})
        super().__init__(*args, **kwargs)
        themes = Theme.objects.filter(active=True)
        if question is not None:
            themes = Theme.objects.filter(pk=question.theme_id) | themes
        self.fields["theme"].queryset = themes.order_by("order", "name")

    def clean_options(self) -> list[str]:
        lines = []
        for line in self.cleaned_data["options"].splitlines():
            line = line.strip()
            if line and line not in lines:
                lines.append(line)
        return lines

    def clean(self) -> dict:
        cleaned = super().clean()
        options = cleaned.get("options") or []
        if cleaned.get("kind") == Question.Kind.CHECKLIST:
            if len(options) < 2:
                self.add_error("options", "A checklist needs at least two options, one per line.")
            elif len(options) > MAX_OPTIONS:
                self.add_error("options", f"A checklist can have at most {MAX_OPTIONS} options.")
            elif any(len(o) > OPTION_LIMIT for o in options):
                self.add_error(
                    "options", f"Each option must be at most {OPTION_LIMIT} characters long."
                )
        elif options:
            self.add_error("options", "Only a checklist question has options: clear them.")
        return cleaned


class QuestionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Question) -> str:
        return obj.text


class QuestionSetForm(forms.Form):
    name = forms.CharField(max_length=120, validators=[validate_single_line])
    description = forms.CharField(
        required=False, max_length=SHORT_TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )
    questions = QuestionChoiceField(
        queryset=Question.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one question for the set."},
    )

    def __init__(self, *args, question_set: QuestionSet | None = None, **kwargs) -> None:
        current: list[int] = []
        if question_set is not None:
            current = [
                pk
                for pk in question_set.items.values_list("question_id", flat=True)
                if pk is not None
            ]
            kwargs.setdefault(
                "initial",
                {
                    "name": question_set.name,
                    "description": question_set.description,
                    "questions": current,
                },
            )
        super().__init__(*args, **kwargs)
        # Retired questions are offered only if the set already asks them.
        self.fields["questions"].queryset = (
            Question.objects.filter(active=True, theme__active=True)
            | Question.objects.filter(pk__in=current)
        ).select_related("theme")

    def question_groups(self) -> list[tuple[Theme, list]]:
        """Checkboxes grouped by theme, in bank order, for the template."""
        by_pk = {q.pk: q for q in self.fields["questions"].queryset}
        groups: dict[int, tuple[Theme, list]] = {}
        for checkbox in self["questions"]:
            question = by_pk[checkbox.data["value"].value]
            groups.setdefault(question.theme_id, (question.theme, []))[1].append(
                (question, checkbox)
            )
        ordered = sorted(groups.values(), key=lambda g: (g[0].order, g[0].name))
        return [
            (theme, sorted(rows, key=lambda r: (r[0].order, r[0].pk))) for theme, rows in ordered
        ]


class AuditForm(forms.ModelForm):
    class Meta:
        model = Audit
        fields = AUDIT_EDITABLE_FIELDS
        widgets = {
            "key_question": forms.Textarea(attrs={"rows": 2}),
            "scope": forms.Textarea(attrs={"rows": 4}),
            "methodology": forms.Textarea(attrs={"rows": 4}),
            "returns_open": DATE_WIDGET,
            "returns_due": DATE_WIDGET,
            "moderation_date": DATE_WIDGET,
            "briefing_due": DATE_WIDGET,
        }
        help_texts = {
            "returns_open": "The day agencies can start their returns.",
            "returns_due": "On or after the day returns open.",
            "moderation_date": "On or after the due date. Optional.",
            "briefing_due": "On or after the due date. Optional.",
            "legal_hold": "Keeps record references beyond the retention period "
            "(for example during a legal process).",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Left empty, the audit keeps its look-back (a new audit: the model's default).
        self.fields["look_back_months"].required = False
        self.fields["question_set"].queryset = QuestionSet.objects.order_by("name", "-version")
        self.fields[
            "question_set"
        ].help_text = "Opening the audit freezes the set, so its questions never change afterwards."
        if self.instance.pk and self.instance.status != Audit.Status.PLANNED:
            self.fields["question_set"].disabled = True
            self.fields[
                "question_set"
            ].help_text = "The question set cannot change once the audit has opened."

    def clean_look_back_months(self) -> int:
        value = self.cleaned_data.get("look_back_months")
        if value is None:
            return (
                self.instance.look_back_months
                or Audit._meta.get_field("look_back_months").get_default()
            )
        return value

    def clean(self) -> dict:
        cleaned = super().clean()
        opens, due = cleaned.get("returns_open"), cleaned.get("returns_due")
        if opens and due and due < opens:
            self.add_error("returns_due", "Returns must be due on or after the date they open.")
        for field, label in [
            ("moderation_date", "The moderation meeting"),
            ("briefing_due", "The briefing"),
        ]:
            day = cleaned.get(field)
            if day and due and day < due:
                self.add_error(field, f"{label} must be on or after the date returns are due.")
        return cleaned

    def _post_clean(self) -> None:
        # Forms never change the instance: the service applies and validates the change.
        pass


class CaseForm(forms.Form):
    pseudonym = forms.CharField(
        max_length=30,
        help_text='How the child is known in the partnership\'s audits, e.g. "YP1" or "Child A". '
        "Never a name or initials. A pseudonym an earlier audit used adds that child again, "
        "with the record references it has.",
    )
    age_band = forms.ChoiceField(choices=[("", "Choose an age band"), *Case.AgeBand.choices])
    gender = forms.ChoiceField(choices=[("", "Choose"), *Case.Gender.choices])
    ethnicity = forms.ChoiceField(
        choices=[("", "Not given"), *Case.Ethnicity.choices],
        required=False,
        help_text="Optional, for equality monitoring of the sample.",
    )
    level_of_need = forms.ChoiceField(
        choices=[("", "Choose a level of need"), *Case.LevelOfNeed.choices]
    )

    def __init__(
        self,
        *args,
        case: Case | None = None,
        references: dict[int, str] | None = None,
        **kwargs,
    ) -> None:
        """references: {agency id: record reference} of the agencies this audit samples for
        the case (every one of them, "" when it has no reference)."""
        references = references or {}
        current = set(references) if case else set()
        if case is not None:
            initial = {
                "pseudonym": case.pseudonym,
                "age_band": case.age_band,
                "gender": case.gender,
                "ethnicity": case.ethnicity,
                "level_of_need": case.level_of_need,
            }
            for agency_id in current:
                initial[f"agency_{agency_id}"] = True
                initial[f"reference_{agency_id}"] = references.get(agency_id, "")
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.agencies = list(
            (Agency.objects.filter(active=True) | Agency.objects.filter(pk__in=current))
            .distinct()
            .order_by("name")
        )
        for agency in self.agencies:
            self.fields[f"agency_{agency.pk}"] = forms.BooleanField(
                label=f"{agency.name} is involved", required=False
            )
            self.fields[f"reference_{agency.pk}"] = forms.CharField(
                label=f"{agency.name} record reference", required=False, max_length=60
            )

    def agency_rows(self) -> list[tuple[Agency, forms.BoundField, forms.BoundField]]:
        return [
            (agency, self[f"agency_{agency.pk}"], self[f"reference_{agency.pk}"])
            for agency in self.agencies
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        chosen: dict[Agency, str] = {}
        for agency in self.agencies:
            ticked = cleaned.get(f"agency_{agency.pk}")
            reference = (cleaned.get(f"reference_{agency.pk}") or "").strip()
            if ticked:
                chosen[agency] = reference
            elif reference:
                self.add_error(
                    f"reference_{agency.pk}",
                    f"Tick {agency.label} as involved, or clear its record reference.",
                )
        if not chosen:
            raise forms.ValidationError("Choose at least one agency involved with this case.")
        cleaned["agencies"] = chosen
        return cleaned

    def case_fields(self) -> dict:
        fields = ["pseudonym", "age_band", "gender", "ethnicity", "level_of_need", "agencies"]
        return {name: self.cleaned_data[name] for name in fields}


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=Audit.Status.choices)
    note = forms.CharField(
        required=False,
        max_length=300,
        label="Note (optional)",
        help_text="Why the audit moves on, for the history. Do not include case details.",
    )
