"""Charts drawn from the figures: valid SVG with every text escaped, no styles or scripts (the
Content Security Policy), suppressed figures left out, and light enough for a dozen a page."""

import xml.etree.ElementTree as ET
from types import SimpleNamespace

from auditportal.figures import Figure
from findings.charts import grade_chart_svg, svg_data_uri, trend_chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def theme(name, counts, denominator):
    grades = ("Outstanding", "Good", "Requires improvement", "Inadequate")
    return SimpleNamespace(
        theme_name=name,
        grades=[Figure(g, c, denominator) for g, c in zip(grades, counts, strict=True)],
    )


def parse(svg: str) -> ET.Element:
    """The chart as XML (raises on anything malformed). Our own output, not untrusted input."""
    return ET.fromstring(svg)  # noqa: S314


def texts(svg: str) -> list[str]:
    root = parse(svg)
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def test_names_are_escaped_and_the_chart_is_well_formed_svg():
    svg = grade_chart_svg(
        [theme('Early help <script>alert("x")</script> & more', (1, 2, 1, 0), 4)],
        title="Grades & <things>",
    )

    root = parse(svg)
    assert root.get("aria-label") == "Grades & <things>"
    assert "<script" not in svg
    assert any("Early help <script>" in text for text in texts(svg))


def test_a_chart_holds_no_styles_or_scripts():
    svg = trend_chart_svg(
        [
            SimpleNamespace(audit_title=f"Audit {n}", figures=theme("", (1, 1, 1, 1), 4).grades)
            for n in range(6)
        ],
        title="Trend",
    )

    root = parse(svg)
    assert not [el for el in root.iter() if el.tag in {f"{SVG}style", f"{SVG}script"}]
    assert not [el for el in root.iter() if "style" in el.attrib]


def test_a_suppressed_figure_is_neither_drawn_nor_printed():
    svg = grade_chart_svg([theme("Neglect", (1, 5, 2, 0), 8)], title="", suppress_below=2)

    # One path a colour, one rectangle ("M x y h w v 28 h -w z") a figure drawn.
    bars = [(p.get("fill"), p.get("d").count("z")) for p in parse(svg).iter(f"{SVG}path")]
    assert bars == [("#3f9b48", 1), ("#f2b134", 1)]  # Good and RI, not the 1 outstanding
    assert all("v28h" in p.get("d") for p in parse(svg).iter(f"{SVG}path"))
    assert "13%" not in texts(svg)
    assert {"63%", "25%"} <= set(texts(svg))


def test_a_theme_without_answers_says_so_and_draws_no_bar():
    svg = grade_chart_svg([theme("Joint working", (0, 0, 0, 0), 0)], title="Grades")

    assert "Joint working (no answers)" in texts(svg)
    assert not list(parse(svg).iter(f"{SVG}path"))


def test_a_ten_row_chart_weighs_a_few_kilobytes():
    rows = [theme(f"Agency number {n}", (1, 2, 1, 1), 5) for n in range(10)]

    svg = grade_chart_svg(rows, title="Voice of the child: agency grades")

    assert len(svg) < 5_000  # was 6,600 with a <rect> a figure
    assert len(svg_data_uri(svg)) < 6_700
