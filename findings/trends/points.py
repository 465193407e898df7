"""The shapes every trend returns: one point per audit, oldest first, with its figures over
all agencies and agency by agency."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from auditportal.figures import Figure
from findings.results import GRADES, NOT_APPLICABLE, YES_PARTLY_NO


@dataclass(frozen=True)
class AgencyFigures:
    agency_id: int
    agency_name: str
    figures: list[Figure]
    not_applicable: int | None = None


@dataclass(frozen=True)
class Point:
    """One audit's figures. ``wording`` is the question as this audit asked it (a question's
    trend shows an edited wording as such); ``not_applicable`` is None where N/A has no
    meaning (checklists, completion)."""

    audit_id: int
    audit_title: str
    returns_open: datetime.date
    figures: list[Figure]
    by_agency: list[AgencyFigures] = field(default_factory=list)
    not_applicable: int | None = None
    wording: str = ""
    denominator: int = 0

    @property
    def answered(self) -> int:
        return self.figures[0].denominator if self.figures else 0


def choices_for(kind: str) -> list[tuple[str, str]]:
    return GRADES if kind == "grade" else YES_PARTLY_NO


def effective(choice: str, moderated_choice: str, use_moderated: bool) -> str:
    return moderated_choice if use_moderated and moderated_choice else choice


def distribution(
    counts: dict[str, int], choices: list[tuple[str, str]]
) -> tuple[list[Figure], int]:
    answered = sum(counts.get(value, 0) for value, _ in choices)
    figures = [Figure(label, counts.get(value, 0), answered) for value, label in choices]
    return figures, counts.get(NOT_APPLICABLE, 0)


def choice_counts(
    rows, *, use_moderated: bool
) -> tuple[dict[int, dict[str, int]], dict[int, dict[int, dict[str, int]]], dict[int, str]]:
    """From rows of (audit id, agency id, agency name, choice, moderated choice, n): counts
    by audit, counts by audit and agency, and the agencies' names."""
    overall: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_agency: dict[int, dict[int, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    names: dict[int, str] = {}
    for audit_id, agency_id, agency_name, choice, moderated_choice, n in rows:
        value = effective(choice, moderated_choice, use_moderated)
        overall[audit_id][value] += n
        by_agency[audit_id][agency_id][value] += n
        names[agency_id] = agency_name
    return overall, by_agency, names


def agency_distributions(
    counts: dict[int, dict[str, int]], names: dict[int, str], choices: list[tuple[str, str]]
) -> list[AgencyFigures]:
    rows = []
    for agency_id in sorted(counts, key=lambda pk: (names[pk], pk)):
        figures, not_applicable = distribution(counts[agency_id], choices)
        rows.append(AgencyFigures(agency_id, names[agency_id], figures, not_applicable))
    return rows
