"""Which grades a figure counts, and the words that say so.

A grade figure counts either the agency's own grades or the moderated grade where the
business team recorded one (otherwise the agency's). The partnership chooses one basis for
everything the board reads (``Partnership.board_grade_basis``): the dashboard, briefings, the
data feed, and the default of the results page and its exports. Every chart and table built
from grades carries ``caption(...)`` so two figures for the same theme are never read as a
contradiction.
"""

from cases.models import GradeBasis, Partnership

SHORT_LABELS: dict[str, str] = {
    GradeBasis.MODERATED: "moderated grades where recorded",
    GradeBasis.AGENCY: "agency grades",
}


def basis_of(use_moderated: bool) -> str:
    return GradeBasis.MODERATED if use_moderated else GradeBasis.AGENCY


def board_uses_moderated(partnership: Partnership | None = None) -> bool:
    """The partnership's chosen basis for the board (one query unless handed the row)."""
    partnership = partnership or Partnership.load()
    return partnership.board_grade_basis == GradeBasis.MODERATED


def short_label(use_moderated: bool) -> str:
    """ "moderated grades where recorded" or "agency grades": for titles and file names."""
    return SHORT_LABELS[basis_of(use_moderated)]


def caption(use_moderated: bool) -> str:
    """The sentence every grade chart and table carries."""
    if use_moderated:
        return (
            "Grade basis: grades as agreed at moderation, the moderated grade where one was "
            "recorded, otherwise the agency's own grade."
        )
    return "Grade basis: agency grades, as each agency's auditor gave them (not moderated)."


def from_request(value: str | None, *, default: bool) -> bool:
    """The results page's and the trend page's ?grades= switch, else the partnership's basis."""
    if value == GradeBasis.MODERATED:
        return True
    if value == GradeBasis.AGENCY:
        return False
    return default
