from django import forms

from auditportal.text import validate_single_line


class PartnershipCreateForm(forms.Form):
    name = forms.CharField(
        label="Partnership name",
        max_length=120,
        validators=[validate_single_line],
        help_text="As it appears on every page, e-mail and briefing.",
    )
    host = forms.CharField(
        label="Host name",
        max_length=253,
        help_text="The address the partnership answers on, e.g. northmoor.auditportal.example "
        "(its DNS name must point at this installation).",
    )
    business_first_name = forms.CharField(label="First name", max_length=150)
    business_last_name = forms.CharField(label="Last name", max_length=150)
    business_email = forms.EmailField(
        label="E-mail address",
        help_text="Their sign-in name. They get an invitation to set a password, then set up "
        "two-factor sign-in when they first sign in.",
    )


class PartnershipRenameForm(forms.Form):
    name = forms.CharField(
        label="Partnership name",
        max_length=120,
        validators=[validate_single_line],
        help_text="As it appears on every page, e-mail, briefing and PDF of the partnership.",
    )


class HostAddForm(forms.Form):
    host = forms.CharField(
        label="Host name to add",
        max_length=253,
        help_text="Another address the partnership answers on, e.g. audits.northmoor.example "
        "(its DNS name must point at this installation).",
    )


class HostRemoveForm(forms.Form):
    host = forms.CharField(max_length=253, widget=forms.HiddenInput)


class PartnershipDeactivateForm(forms.Form):
    reason = forms.CharField(
        label="Why is the partnership being deactivated?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the audit trail with your name and the time. 500 characters at most.",
    )
