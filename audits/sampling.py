"""Proposing a sample from a candidate list: stratified by level of need, spread across age
band, gender and ethnicity, reproducible from a seed. Pure functions, no database.

1. Each level of need gets a share of the sample proportional to its candidates, rounded by
   largest remainder (ties go to the level listed first in Case.LevelOfNeed).
2. The candidates are shuffled once with random.Random(seed), in the order given.
3. Within each level, in that order, the next child taken is the one that adds the most values
   of age band, gender and ethnicity not yet in the sample; ties go to the earlier in the
   shuffle. So the same candidates, size and seed always give the same sample.
"""

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from auditportal.figures import Figure
from cases.models import Case

OTHER_DIMENSIONS = ("age_band", "gender", "ethnicity")


class Banded(Protocol):
    """A child known by its bands: a candidate or a case."""

    @property
    def age_band(self) -> str: ...
    @property
    def gender(self) -> str: ...
    @property
    def ethnicity(self) -> str: ...
    @property
    def level_of_need(self) -> str: ...


B = TypeVar("B", bound=Banded)


def allocate(counts: dict[str, int], size: int) -> dict[str, int]:
    """How many of `size` each stratum gets, proportional to its count, by largest remainder.
    Strata are ranked for the remainder by their order in `counts`."""
    total = sum(counts.values())
    if total == 0 or size <= 0:
        return {stratum: 0 for stratum in counts}
    size = min(size, total)
    quotas = {stratum: size * count / total for stratum, count in counts.items()}
    shares = {stratum: int(quota) for stratum, quota in quotas.items()}
    left = size - sum(shares.values())
    order = sorted(counts, key=lambda s: -(quotas[s] - shares[s]))  # stable: ties keep order
    for stratum in order[:left]:
        shares[stratum] += 1
    return shares


def _new_values(candidate: Banded, covered: set[tuple[str, str]]) -> int:
    return sum((dim, getattr(candidate, dim)) not in covered for dim in OTHER_DIMENSIONS)


def propose(candidates: Sequence[B], size: int, seed: int) -> list[B]:
    """The proposed sample of `size` (all candidates when there are fewer), in the order
    taken. `candidates` should come in a stable order (e.g. by row of the file)."""
    shuffled = list(candidates)
    random.Random(seed).shuffle(shuffled)  # noqa: S311  (reproducible on purpose, not secret)
    levels = [value for value, _ in Case.LevelOfNeed.choices]
    by_level: dict[str, list[B]] = {level: [] for level in levels}
    for candidate in shuffled:
        by_level.setdefault(candidate.level_of_need, []).append(candidate)
    shares = allocate({level: len(group) for level, group in by_level.items()}, size)
    chosen: list[B] = []
    covered: set[tuple[str, str]] = set()
    for level, group in by_level.items():
        pool = list(group)
        for _ in range(shares[level]):
            best = max(range(len(pool)), key=lambda i: (_new_values(pool[i], covered), -i))
            candidate = pool.pop(best)
            chosen.append(candidate)
            covered.update((dim, getattr(candidate, dim)) for dim in OTHER_DIMENSIONS)
    return chosen


@dataclass(frozen=True)
class SpreadRow:
    label: str
    candidates: Figure
    proposed: Figure


@dataclass(frozen=True)
class SpreadComparison:
    title: str
    rows: list[SpreadRow]


SPREAD_DIMENSIONS = [
    ("level_of_need", "Level of need", Case.LevelOfNeed.choices),
    ("age_band", "Age band", Case.AgeBand.choices),
    ("gender", "Gender", Case.Gender.choices),
    ("ethnicity", "Ethnicity", [*Case.Ethnicity.choices, ("", "Not given")]),
]


def spread_comparison(
    candidates: Sequence[Banded], proposed: Sequence[Banded]
) -> list[SpreadComparison]:
    """The candidates' and the proposed sample's counts side by side, per dimension (every
    choice listed; "Not given" only when some candidate has no ethnicity)."""
    comparison = []
    for field, title, choices in SPREAD_DIMENSIONS:
        all_counts = Counter(getattr(c, field) for c in candidates)
        chosen_counts = Counter(getattr(c, field) for c in proposed)
        rows = [
            SpreadRow(
                label=label,
                candidates=Figure(label, all_counts.get(value, 0), len(candidates)),
                proposed=Figure(label, chosen_counts.get(value, 0), len(proposed)),
            )
            for value, label in choices
            if value or all_counts.get(value)
        ]
        comparison.append(SpreadComparison(title=title, rows=rows))
    return comparison
