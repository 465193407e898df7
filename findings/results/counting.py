"""Counting answers into figures, shared by one audit's results and the trends."""

from auditportal.figures import Figure

from .shapes import NOT_APPLICABLE, AgencyDistribution, AgencyRef


def _distribution(
    counts: dict[str, int], choices: list[tuple[str, str]]
) -> tuple[list[Figure], int]:
    if not counts:  # nothing answered: every agency without answers to this question
        return [Figure(label, 0, 0) for _, label in choices], 0
    found = [(label, counts.get(value, 0)) for value, label in choices]
    answered = sum(n for _, n in found)
    return [Figure(label, n, answered) for label, n in found], counts.get(NOT_APPLICABLE, 0)


def _effective(choice: str, moderated_choice: str, use_moderated: bool) -> str:
    return moderated_choice if use_moderated and moderated_choice else choice


def _by_agency(
    agencies: list[AgencyRef], counts: dict[int, dict[str, int]], choices: list[tuple[str, str]]
) -> list[AgencyDistribution]:
    result = []
    for agency in agencies:
        figures, not_applicable = _distribution(counts.get(agency.agency_id, {}), choices)
        result.append(
            AgencyDistribution(agency.agency_id, agency.agency_name, figures, not_applicable)
        )
    return result
