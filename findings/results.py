"""Aggregated results of audits (SPEC.md "Aggregation rules"): whole percentages rounded half
up, always shown with their counts, with optional small-number suppression."""

from dataclasses import dataclass


def percent(count: int, denominator: int) -> int | None:
    """Whole percentage, rounded half up (46 of 120 -> 38, 1 of 8 -> 13). None when 0 of 0."""
    if denominator <= 0:
        return None
    return (200 * count + denominator) // (2 * denominator)


@dataclass(frozen=True)
class Figure:
    """A count over a denominator, e.g. 3 of 4 cases had a risk factor."""

    label: str
    count: int
    denominator: int

    @property
    def percent(self) -> int | None:
        return percent(self.count, self.denominator)

    def display(self, suppress_below: int = 0) -> str:
        """'75% (3 of 4)'; with suppression, counts below the threshold read 'fewer than N'."""
        if self.denominator == 0:
            return "no answers"
        if suppress_below and 0 < self.count < suppress_below:
            return f"fewer than {suppress_below}"
        return f"{self.percent}% ({self.count} of {self.denominator})"

    def __str__(self) -> str:
        return self.display()
