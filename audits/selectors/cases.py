"""Reads of an audit's sample: its children, their involvements and the sample's spread."""

from collections import Counter
from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from accounts.models import User
from auditportal.access import require
from auditportal.figures import Figure
from audits.models import Audit, SampleCase
from cases.models import Case, CaseAgency


def audit_cases(audit: Audit) -> list:
    """The audit's cases with their agencies and record references (business team pages)."""
    from django.db.models import Prefetch

    # Only the involvements this audit samples: the child may have more from other audits.
    return list(
        audit.cases.order_by("pseudonym").prefetch_related(
            Prefetch(
                "involvements",
                queryset=CaseAgency.objects.filter(samples__audit=audit)
                .select_related("agency", "record_reference")
                .order_by("agency__name"),
            )
        )
    )


@dataclass(frozen=True)
class SpreadDimension:
    """The sample counted by one of its dimensions: a Figure per choice, over the sample."""

    field: str
    title: str
    rows: list[Figure]
    total: int


SPREAD_DIMENSIONS = [
    ("level_of_need", "Level of need", Case.LevelOfNeed.choices),
    ("age_band", "Age band", Case.AgeBand.choices),
    ("gender", "Gender", Case.Gender.choices),
    ("ethnicity", "Ethnicity", [*Case.Ethnicity.choices, ("", "Not given")]),
]


def sample_spread(cases: list[Case]) -> list[SpreadDimension]:
    """Counts of the sample by level of need, age band, gender and ethnicity (every choice
    listed, so gaps in the sample show as zeros; "Not given" only when some case has it)."""
    total = len(cases)
    spread = []
    for field, title, choices in SPREAD_DIMENSIONS:
        counts = Counter(getattr(case, field) for case in cases)
        rows = [
            Figure(label=label, count=counts.get(value, 0), denominator=total)
            for value, label in choices
            if value or counts.get(value)
        ]
        spread.append(SpreadDimension(field=field, title=title, rows=rows, total=total))
    return spread


def sample_case_get_for_business_team(user: User, audit_pk: int, case_pk: int) -> SampleCase:
    """The child in this audit's sample (404 when the child is not visible or not in the
    sample; 403 when visible, to a practitioner of an involved agency, but not theirs)."""
    from cases.selectors import cases_visible_to

    sample = get_object_or_404(
        SampleCase.objects.select_related("audit", "case"),
        case__in=cases_visible_to(user),
        audit_id=audit_pk,
        case_id=case_pk,
    )
    require(user, "audits.manage_programme", sample)
    return sample
