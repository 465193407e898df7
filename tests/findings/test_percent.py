import pytest

from findings.results import Figure, percent


@pytest.mark.parametrize(
    ("count", "denominator", "expected"),
    [
        (46, 120, 38),
        (41, 120, 34),
        (1, 8, 13),
        (3, 4, 75),
        (1, 2, 50),
        (1, 3, 33),
        (2, 3, 67),
        (0, 5, 0),
    ],
)
def test_percent_rounds_half_up(count, denominator, expected):
    assert percent(count, denominator) == expected


def test_percent_of_nothing_is_none():
    assert percent(0, 0) is None


def test_figure_shows_percentage_with_counts():
    assert Figure("Neglect", 3, 4).display() == "75% (3 of 4)"


def test_figure_suppresses_small_counts_when_asked():
    assert Figure("Neglect", 2, 4).display(suppress_below=3) == "fewer than 3"
    assert Figure("Neglect", 3, 4).display(suppress_below=3) == "75% (3 of 4)"
