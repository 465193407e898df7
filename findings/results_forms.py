"""Forms of the results pages (validation only: services save)."""

from django import forms

from audits.models import SHORT_TEXT_LIMIT, Grade


class ModerationForm(forms.Form):
    moderated_choice = forms.ChoiceField(
        label="Moderated grade",
        choices=[("", "No moderated grade (use the agency's grade)"), *Grade.choices],
        required=False,
    )
    reason = forms.CharField(
        label="Reason for the moderated grade",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=SHORT_TEXT_LIMIT,
        help_text="Required when you record a moderated grade: what the moderation meeting "
        "saw in the evidence.",
    )

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("moderated_choice") and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Give a reason for the moderated grade.")
        return cleaned
