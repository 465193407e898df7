"""The shapes of aggregated results (frozen dataclasses) and the answer scales they count."""

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import cached_property

from auditportal.figures import Figure
from audits.models import Audit, Grade, YesPartlyNo

GRADES: list[tuple[str, str]] = [
    (value, label) for value, label in Grade.choices if value != Grade.NOT_APPLICABLE
]
YES_PARTLY_NO: list[tuple[str, str]] = [
    (value, label) for value, label in YesPartlyNo.choices if value != YesPartlyNo.NOT_APPLICABLE
]
NOT_APPLICABLE = "not_applicable"
BOARD_STATUSES = (Audit.Status.PUBLISHED, Audit.Status.CLOSED)
# Audits whose answers may count in a trend: returns have been asked for.
TREND_STATUSES = (
    Audit.Status.OPEN,
    Audit.Status.MODERATION,
    Audit.Status.FINDINGS_AGREED,
    Audit.Status.PUBLISHED,
    Audit.Status.CLOSED,
)


@dataclass(frozen=True)
class AgencyRef:
    agency_id: int
    agency_name: str


@dataclass(frozen=True)
class AgencyCompletion:
    agency_id: int
    agency_name: str
    expected: int
    submitted: int

    @property
    def figure(self) -> Figure:
        return Figure(self.agency_name, self.submitted, self.expected)


@dataclass(frozen=True)
class AgencyDistribution:
    agency_id: int
    agency_name: str
    figures: list[Figure]
    not_applicable: int

    @property
    def answered(self) -> int:
        return self.figures[0].denominator if self.figures else 0


@dataclass(frozen=True)
class ThemeResult:
    theme_id: int
    theme_name: str
    grades: list[Figure]
    not_applicable: int
    agreement: Figure
    # The theme's grades by agency are figures the results page shows only when a theme's
    # breakdown is opened (its own request): built on first use of `by_agency`.
    _agency_figures: Callable[[], list[AgencyDistribution]] = field(repr=False, compare=False)

    @cached_property
    def by_agency(self) -> list[AgencyDistribution]:
        return self._agency_figures()

    def __eq__(self, other: object) -> bool:
        """Equal fields and equal grades by agency (built for the comparison if need be)."""
        if other.__class__ is not self.__class__:
            return NotImplemented
        names = [f.name for f in fields(self) if f.compare]
        same = all(getattr(self, name) == getattr(other, name) for name in names)
        return same and self.by_agency == other.by_agency

    @property
    def answered(self) -> int:
        return self.grades[0].denominator if self.grades else 0


@dataclass(frozen=True)
class YesPartlyNoResult:
    item_id: int
    text: str
    theme_id: int
    theme_name: str
    answers: list[Figure]
    not_applicable: int
    by_agency: list[AgencyDistribution]

    @property
    def answered(self) -> int:
        return self.answers[0].denominator if self.answers else 0


@dataclass(frozen=True)
class AgencyChecklist:
    agency_id: int
    agency_name: str
    returns: int
    options: list[Figure]


@dataclass(frozen=True)
class ChecklistResult:
    item_id: int
    text: str
    theme_id: int
    theme_name: str
    cases: int
    options: list[Figure]
    by_agency: list[AgencyChecklist]


@dataclass(frozen=True)
class AuditResults:
    audit_id: int
    use_moderated: bool
    cases: int
    cases_in_sample: int
    completion: Figure
    completion_by_agency: list[AgencyCompletion]
    agencies: list[AgencyRef]
    themes: list[ThemeResult]
    yes_partly_no: list[YesPartlyNoResult]
    checklists: list[ChecklistResult]
    agreement: Figure

    @property
    def has_submitted_returns(self) -> bool:
        return self.completion.count > 0
