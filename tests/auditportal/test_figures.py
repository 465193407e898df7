"""The one percent rule (auditportal.figures): whole percentages rounded half up, with their
counts, small counts suppressed where asked, and the same number wherever a figure is shown."""

import re
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import pytest

from auditportal.figures import Figure, count_display, percent, share
from findings.charts import grade_chart_svg
from findings.exports import to_csv

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "auditportal", "audits", "briefings", "cases", "findings")


@pytest.mark.parametrize(
    ("count", "denominator", "expected"),
    [
        (46, 120, 38),
        (41, 120, 34),
        (1, 8, 13),
        (3, 8, 38),
        (5, 8, 63),
        (3, 4, 75),
        (1, 2, 50),
        (1, 3, 33),
        (2, 3, 67),
        (0, 5, 0),
        (5, 5, 100),
    ],
)
def test_percent_rounds_half_up(count, denominator, expected):
    assert percent(count, denominator) == expected


def test_percent_is_the_exact_share_rounded_half_up_for_every_count_up_to_400():
    for denominator in range(1, 401):
        for count in range(denominator + 1):
            exact = Fraction(100 * count, denominator)
            assert percent(count, denominator) == int(exact + Fraction(1, 2)), (count, denominator)


def test_percent_and_share_of_nothing_are_none():
    assert (percent(0, 0), share(0, 0), Figure("x", 0, 0).percent) == (None, None, None)


def test_figure_shows_percentage_with_counts():
    assert Figure("Neglect", 3, 4).display() == "75% (3 of 4)"
    assert Figure("Neglect", 0, 0).display() == "no answers"


def test_figure_suppresses_small_counts_when_asked():
    assert Figure("Neglect", 2, 4).display(suppress_below=3) == "fewer than 3"
    assert Figure("Neglect", 3, 4).display(suppress_below=3) == "75% (3 of 4)"
    assert Figure("Neglect", 0, 4).display(suppress_below=3) == "0% (0 of 4)"
    assert (count_display(2, 3), count_display(3, 3), count_display(2)) == (
        "fewer than 3",
        "3",
        "2",
    )


def test_chart_prints_each_segment_as_its_table_figure():
    theme = SimpleNamespace(
        theme_name="Voice of the child",
        grades=[Figure("O", 1, 8), Figure("G", 5, 8), Figure("R", 2, 8), Figure("I", 0, 8)],
    )

    svg = grade_chart_svg([theme], title="Grades")

    values = re.search(r'<g class="values"[^>]*>(.*?)</g>', svg).group(1)
    printed = re.findall(r"<text [^>]*>([^<]*)</text>", values)
    assert printed == ["13%", "63%", "25%"]


def test_export_writes_the_whole_percentage_of_each_figure():
    rows = [["Figure", "Percent"], ["Outstanding", Figure("Outstanding", 1, 8)]]

    body = to_csv(rows).decode("utf-8-sig")

    assert body.splitlines() == ["Figure,Percent", "Outstanding,13"]


# A displayed percentage computed by hand: round(... 100 ...), x * 100 / y, 100 * x / y.
HAND_MADE_PERCENT = re.compile(r"round\([^)]*100|\* ?100 ?/|100 ?\* ?[\w.]+(\([^)]*\))? ?/")
ALLOWED = {"auditportal/figures.py"}  # the one place that may


def test_no_percentage_is_computed_outside_figures():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative in ALLOWED:
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if HAND_MADE_PERCENT.search(line):
                    found.append(f"{relative}:{number}: {line.strip()}")
    for path in sorted((ROOT / "templates").rglob("*.html")):
        if "widthratio" in path.read_text():
            found.append(path.relative_to(ROOT).as_posix())

    assert found == []


def test_a_figure_over_a_small_denominator_is_suppressed_even_at_zero():
    """'0% (0 of 2)' beside 'fewer than 3' gives the hidden total away: a figure whose
    denominator is below the threshold prints 'fewer than N' whatever its count."""
    assert Figure("In progress", 0, 2).display(suppress_below=3) == "fewer than 3"
    assert Figure("Done", 2, 2).display(suppress_below=3) == "fewer than 3"
    assert Figure("Open", 0, 3).display(suppress_below=3) == "0% (0 of 3)"
    assert Figure("Open", 3, 3).display(suppress_below=3) == "100% (3 of 3)"
    assert Figure("In progress", 0, 2).display() == "0% (0 of 2)"  # no threshold
