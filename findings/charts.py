"""Grade charts as SVG drawn by a template from the figures (no JavaScript, no styles: the
colours are presentation attributes). Always shown beside a text table with the same figures:
the chart is a picture of the table, not the only place a figure lives.

- ``grade_chart_svg(themes, *, title, suppress_below=0) -> str``: one stacked horizontal bar
  per theme (``ThemeResult``, ``AgencyDistribution`` or anything with ``theme_name``/
  ``agency_name`` and ``grades``/``figures``), segments are the percentage of each grade.
- ``trend_chart_svg(points, *, title, suppress_below=0) -> str``: one stacked bar per audit
  (``TrendPoint``), oldest first.
- ``svg_data_uri(svg) -> str``: "data:image/svg+xml;base64,..." for an <img src>, which pages
  and the briefing PDF use with the table beside it as the text alternative.

Suppressed figures (count below the partnership threshold) are left out of the chart so a
board-facing picture cannot reveal what its table hides. A chart costs well under a
millisecond to draw (docs/benchmarks.md), so nothing caches it.
"""

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from auditportal.figures import Figure

from .results import GRADES

# Dark green, light green, amber, dark red: distinct in lightness as well as hue, and each
# label drawn on a segment keeps 4.5:1 contrast against it (white on the dark ones).
GRADE_COLOURS = ("#0b6b3a", "#3f9b48", "#f2b134", "#a4161a")
TEXT = "#1b1b1b"
VALUE_COLOURS = ("#fff", TEXT, TEXT, "#fff")
LABEL_LIMIT = 28
WIDTH = 800
# A segment narrower than this prints no figure on it (the table has it).
MIN_LABELLED = 36


@dataclass
class Segment:
    x: float
    y: float
    width: float
    height: float
    colour: str
    text: str
    text_colour: str
    text_x: float
    text_y: float


@dataclass
class Bar:
    label: str
    label_x: float
    label_y: float
    segments: list[Segment] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


@dataclass
class Tick:
    text: str
    x1: float
    y1: float
    x2: float
    y2: float
    text_x: float
    text_y: float


@dataclass
class LegendItem:
    name: str
    colour: str
    x: float
    y: float

    @property
    def text_x(self) -> float:
        return self.x + 24

    @property
    def text_y(self) -> float:
        return self.y + 13


def _figures(row) -> list[Figure]:
    return list(getattr(row, "grades", None) or getattr(row, "figures", None) or [])


def _label(row, *, limit: int | None = LABEL_LIMIT) -> str:
    label = ""
    for attribute in ("theme_name", "agency_name", "audit_title", "label"):
        value = getattr(row, attribute, None)
        if value:
            label = str(value)
            break
    if limit and len(label) > limit:  # the table beside the chart has the full name
        label = label[: limit - 1].rstrip() + "…"
    figures = _figures(row)
    if not figures or figures[0].denominator == 0:
        label += " (no answers)"
    return label


def _shown(row, suppress_below: int) -> list[tuple[int, Figure]]:
    """(grade index, figure) of each segment drawn: counted, with a share, not suppressed.
    Each prints its own whole percentage (auditportal.figures), so a chart never reads 12%
    where its table says 13%."""
    shown = []
    for index, figure in enumerate(_figures(row)[: len(GRADES)]):
        if figure.share is None or not figure.count or figure.is_suppressed(suppress_below):
            continue
        shown.append((index, figure))
    return shown


def _legend(top: float, *, one_row: bool) -> tuple[list[LegendItem], float]:
    """The grades' swatches: in one row (each as wide as its name), or in two columns."""
    items = []
    if one_row:
        x = 40.0
        for index, (_, name) in enumerate(GRADES):
            items.append(LegendItem(name, GRADE_COLOURS[index], x, top))
            x += 24 + 8 * len(name) + 32  # about 8 px a character at 14 px
        return items, top + 28
    for index, (_, name) in enumerate(GRADES):
        column, row = index % 2, index // 2
        items.append(LegendItem(name, GRADE_COLOURS[index], 40 + column * 360, top + 28 * row))
    return items, top + 28 * -(-len(GRADES) // 2)


def _lines(label: str, chars: int) -> list[str]:
    """The label in at most two lines of about `chars` characters (the table has it whole)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return [
        line if len(line) <= chars else line[: max(chars - 1, 1)].rstrip() + "…" for line in lines
    ]


def _n(value: float) -> str:
    """A coordinate with one decimal, without a trailing .0."""
    return f"{value:.1f}".removesuffix(".0")


def _render(context: dict) -> str:
    """The SVG of a chart. Built as a string for speed (a template render of the same costs
    about forty times as much, for a dozen charts a page); every text in it is escaped and
    every number is formatted here, so nothing else reaches the markup (docs/security.md).
    Shared attributes sit on groups and each colour's bars are one path, so a chart of ten
    rows of four grades weighs about 5 KB."""
    width, height, title = context["width"], context["height"], escape(context["title"])
    bars, legend = context["bars"], context["legend"]
    label = escape(context.get("label") or context["title"])
    named = f' aria-label="{label}"' if label else ""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="results-chart" width="{width}" '
        f'height="{_n(height)}" '
        f'viewBox="0 0 {width} {_n(height)}" role="img"{named} '
        "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif\" "
        f'font-size="14" fill="{TEXT}"><rect width="100%" height="100%" fill="#fff"/>'
    ]
    if title:
        out.append(
            f'<title>{title}</title><text x="{_n(width / 2)}" y="28" font-size="17" '
            f'font-weight="600" text-anchor="middle">{title}</text>'
        )
    out.append('<g stroke="#d0d0d0">')
    out += [
        f'<line x1="{_n(t.x1)}" y1="{_n(t.y1)}" x2="{_n(t.x2)}" y2="{_n(t.y2)}"/>'
        for t in context["ticks"]
    ]
    out.append(
        f'</g><g class="axis" font-size="13" fill="#595959" '
        f'text-anchor="{context.get("tick_anchor", "middle")}">'
    )
    out += [
        f'<text x="{_n(t.text_x)}" y="{_n(t.text_y)}">{escape(t.text)}</text>'
        for t in context["ticks"]
    ]
    # The bars' segments: one path a colour (a rectangle is "M x y h w v h h -w z"), a third
    # of the weight of a <rect> each.
    shapes: dict[str, list[str]] = {}
    for bar in bars:
        for s in bar.segments:
            shapes.setdefault(s.colour, []).append(
                f"M{_n(s.x)} {_n(s.y)}h{_n(s.width)}v{_n(s.height)}h-{_n(s.width)}z"
            )
    out.append("</g><g>")
    out += [f'<path fill="{colour}" d="{"".join(d)}"/>' for colour, d in shapes.items()]
    out.append('</g><g class="values" font-size="13" text-anchor="middle">')
    out += [
        f'<text x="{_n(s.text_x)}" y="{_n(s.text_y)}"'
        f"{'' if s.text_colour == TEXT else f' fill={chr(34)}{s.text_colour}{chr(34)}'}>"
        f"{escape(s.text)}</text>"
        for bar in bars
        for s in bar.segments
        if s.text
    ]
    out.append(f'</g><g class="labels" text-anchor="{context["label_anchor"]}">')
    for bar in bars:
        lines = bar.lines or [bar.label]
        if len(lines) == 1:
            text: str = escape(lines[0])
        else:
            text = "".join(
                f'<tspan x="{_n(bar.label_x)}" dy="{0 if number == 0 else 16}">{escape(line)}'
                "</tspan>"
                for number, line in enumerate(lines)
            )
        out.append(f'<text x="{_n(bar.label_x)}" y="{_n(bar.label_y)}">{text}</text>')
    out.append('</g><g class="legend">')
    out += [
        f'<rect x="{_n(i.x)}" y="{_n(i.y)}" width="16" height="16" fill="{i.colour}"/>'
        f'<text x="{_n(i.text_x)}" y="{_n(i.text_y)}">{escape(i.name)}</text>'
        for i in legend
    ]
    out.append("</g></svg>")
    return "".join(out)


def grade_chart_svg(themes: Sequence, *, title: str, suppress_below: int = 0) -> str:
    """Stacked horizontal bars: one per theme (or agency), each grade's share of the answered
    grade questions (not applicable left out, as in the table)."""
    left, right, bar_height, pitch = 250.0, WIDTH - 24.0, 28.0, 46.0
    top = 52.0 if title else 20.0  # a chart without a title sits under the page's heading
    plot = right - left
    bars = []
    for position, row in enumerate(themes):
        y = top + position * pitch
        bar = Bar(_label(row), left - 10, y + bar_height / 2 + 5)
        x = left
        for index, figure in _shown(row, suppress_below):
            width = plot * float(figure.share or 0)
            text = f"{figure.percent}%" if width >= MIN_LABELLED else ""
            bar.segments.append(
                Segment(
                    x,
                    y,
                    width,
                    bar_height,
                    GRADE_COLOURS[index],
                    text,
                    VALUE_COLOURS[index],
                    x + width / 2,
                    y + bar_height / 2 + 5,
                )
            )
            x += width
        bars.append(bar)
    axis_y = top + max(len(themes), 1) * pitch
    ticks = [
        Tick(
            f"{value}%",
            left + plot * value / 100,
            top - 8,
            left + plot * value / 100,
            axis_y - pitch + bar_height + 8,
            left + plot * value / 100,
            axis_y + 8,
        )
        for value in (0, 25, 50, 75, 100)
    ]
    legend, bottom = _legend(axis_y + 30, one_row=False)
    return _render(
        {
            "title": title,
            "width": WIDTH,
            "height": bottom + 8,
            "bars": bars,
            "ticks": ticks,
            "legend": legend,
            "label_anchor": "end",
        }
    )


def trend_chart_svg(
    points: Sequence, *, title: str, suppress_below: int = 0, label: str = ""
) -> str:
    """Stacked vertical bars, one per audit oldest to newest, each grade's share. `label` is
    what a screen reader hears for the picture (the title when empty)."""
    left, right = 70.0, WIDTH - 24.0
    top = 52.0 if title else 20.0
    bottom = top + 320.0
    plot_height = bottom - top
    slot = (right - left) / max(len(points), 1)
    bar_width = min(90.0, slot * 0.6)
    bars = []
    for position, point in enumerate(points):
        x = left + slot * position + (slot - bar_width) / 2
        name = _label(point, limit=None)  # wrapped to its bar's width below
        bar = Bar(name, x + bar_width / 2, bottom + 22, lines=_lines(name, int(slot / 7.5)))
        y = bottom
        for index, figure in _shown(point, suppress_below):
            height = plot_height * float(figure.share or 0)
            y -= height
            text = f"{figure.percent}%" if height >= 18 else ""
            bar.segments.append(
                Segment(
                    x,
                    y,
                    bar_width,
                    height,
                    GRADE_COLOURS[index],
                    text,
                    VALUE_COLOURS[index],
                    x + bar_width / 2,
                    y + height / 2 + 5,
                )
            )
        bars.append(bar)
    ticks = [
        Tick(
            f"{value}%",
            left - 6,
            bottom - plot_height * value / 100,
            right,
            bottom - plot_height * value / 100,
            left - 10,
            bottom - plot_height * value / 100 + 5,
        )
        for value in (0, 25, 50, 75, 100)
    ]
    legend, end = _legend(bottom + 62, one_row=True)
    return _render(
        {
            "title": title,
            "width": WIDTH,
            "height": end + 8,
            "bars": bars,
            "ticks": ticks,
            "legend": legend,
            "label_anchor": "middle",
            "tick_anchor": "end",
            "label": label,
        }
    )


def svg_inline(svg: str) -> SafeString:
    """A chart to place in a page as it is (a quarter lighter than a data URI): the SVG is
    this module's own, every text in it escaped, with no style or script."""
    return mark_safe(svg)  # built here from escaped text and formatted numbers


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
