"""Forms of the sample builder (audits/views/sample.py). Forms never save."""

import secrets

from django import forms

from audits.models import SampleCandidate
from cases.models import Agency

MAX_SEED = 999_999


def new_seed() -> int:
    return secrets.randbelow(MAX_SEED) + 1


class CandidateUploadForm(forms.Form):
    file = forms.FileField(
        label="Candidate list (CSV)",
        help_text="A CSV file of at most 2 MB and 2,000 children, with a header row.",
    )


class ProposeForm(forms.Form):
    size = forms.IntegerField(label="Children in the sample", min_value=1, max_value=2000)
    seed = forms.IntegerField(
        label="Seed",
        min_value=1,
        max_value=MAX_SEED,
        help_text="The same candidates, size and seed always propose the same sample.",
    )


class SwapForm(forms.Form):
    take_out = forms.ModelChoiceField(
        label="Take out",
        queryset=SampleCandidate.objects.none(),
        empty_label="Choose a child",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    put_in = forms.ModelChoiceField(
        label="Put in",
        queryset=SampleCandidate.objects.none(),
        empty_label="Choose a child",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, candidates=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        candidates = candidates if candidates is not None else SampleCandidate.objects.none()
        self.fields["take_out"].queryset = candidates.filter(chosen=True)
        self.fields["put_in"].queryset = candidates.filter(chosen=False)
        for name in ("take_out", "put_in"):
            self.fields[name].label_from_instance = _candidate_label


def _candidate_label(candidate: SampleCandidate) -> str:
    return (
        f"{candidate.pseudonym} · {candidate.get_level_of_need_display()} · "
        f"{candidate.get_age_band_display()} · {candidate.get_gender_display()}"
    )


class AddChosenForm(forms.Form):
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies involved with these children",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text="Each child is added with these agencies; change a child's agencies and add "
        "record references on the cases page afterwards.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, in the request's partnership: a queryset made when the module is
        # imported would keep the partnership of whatever code imported it first.
        self.fields["agencies"].queryset = Agency.objects.filter(active=True).order_by("name")
