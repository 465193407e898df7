"""Every figure the product shows: a count over a denominator, as a whole percentage rounded
half up with its counts beside it ("75% (3 of 4)"), and small counts suppressed on
board-facing output ("fewer than 3"). SPEC.md "Aggregation rules".

One rule for every page, export, chart label and briefing: results, trends, the dashboard,
engagement rates, completion and the sample spread all compute through `percent`, so 1 of 8
reads 13% everywhere (Python's `round` gives 12: it rounds halves to even).
"""

from dataclasses import dataclass


def percent(count: int, denominator: int) -> int | None:
    """Whole percentage, rounded half up (46 of 120 -> 38, 1 of 8 -> 13). None when 0 of 0.

    Integer arithmetic only: no float ever sits on a .5 boundary it cannot represent."""
    if denominator <= 0:
        return None
    return (200 * count + denominator) // (2 * denominator)


def share(count: int, denominator: int) -> float | None:
    """The exact share (0 to 1), for what is drawn or stored rather than read: a bar's length,
    a spreadsheet's percent cell. Never shown as a number: shown numbers are `percent`."""
    if denominator <= 0:
        return None
    return count / denominator


def is_suppressed(count: int, suppress_below: int = 0) -> bool:
    """A count a published output hides: above zero and below the partnership's threshold."""
    return bool(suppress_below) and 0 < count < suppress_below


def count_display(count: int, suppress_below: int = 0) -> str:
    """A bare count for board-facing output: 'fewer than 3' below the threshold."""
    if is_suppressed(count, suppress_below):
        return f"fewer than {suppress_below}"
    return str(count)


@dataclass(frozen=True)
class Figure:
    """A count over a denominator, e.g. 3 of 4 cases had a risk factor."""

    label: str
    count: int
    denominator: int

    @property
    def percent(self) -> int | None:
        return percent(self.count, self.denominator)

    @property
    def share(self) -> float | None:
        return share(self.count, self.denominator)

    def display(self, suppress_below: int = 0) -> str:
        """'75% (3 of 4)'; with suppression, counts below the threshold read 'fewer than N'."""
        if self.denominator <= 0:
            return "no answers"
        if self.is_suppressed(suppress_below):
            return f"fewer than {suppress_below}"
        return f"{self.percent}% ({self.count} of {self.denominator})"

    def is_suppressed(self, suppress_below: int = 0) -> bool:
        """Hidden when its count is small, or when its denominator is: "0% (0 of 2)" beside
        "fewer than 3" would give the hidden total away."""
        return is_suppressed(self.count, suppress_below) or is_suppressed(
            self.denominator, suppress_below
        )

    def __str__(self) -> str:
        return self.display()
