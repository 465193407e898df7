"""Grade charts as SVG, drawn with pygal (no JavaScript). Always shown beside a text table with
the same figures: the chart is a picture of the table, not the only place a figure lives.

- ``grade_chart_svg(themes, *, title, suppress_below=0) -> str``: one stacked horizontal bar
  per theme (``ThemeResult``, ``AgencyDistribution`` or anything with ``theme_name``/
  ``agency_name`` and ``grades``/``figures``), segments are the percentage of each grade.
- ``trend_chart_svg(points, *, title, suppress_below=0) -> str``: one stacked bar per audit
  (``TrendPoint``), oldest first.
- ``svg_data_uri(svg) -> str``: "data:image/svg+xml;base64,..." for an <img src> (the Content
  Security Policy forbids inline <svg> with <style>, which pygal emits).

Suppressed figures (count below the partnership threshold) are left out of the chart so a
board-facing picture cannot reveal what its table hides.
"""

import base64
import hashlib
import json
from collections.abc import Callable, Sequence

import pygal
from django.conf import settings
from django.core.cache import cache
from pygal.style import Style

from auditportal.figures import Figure

from .results import GRADES

# Dark green, light green, amber, dark red: distinct in lightness as well as hue, and each
# label drawn on a segment keeps 4.5:1 contrast against it (white on the dark ones).
GRADE_COLOURS = ("#0b6b3a", "#3f9b48", "#f2b134", "#a4161a")
TEXT = "#1b1b1b"
LABEL_LIMIT = 28

_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground=TEXT,
    foreground_strong=TEXT,
    foreground_subtle="#595959",
    colors=GRADE_COLOURS,
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=14,
    title_font_size=17,
    value_font_size=13,
    value_colors=("#ffffff", TEXT, TEXT, "#ffffff"),
    opacity="1",
    opacity_hover="1",
    transition="none",
)


def _config(title: str, *, height: int, horizontal: bool) -> dict:
    return {
        "title": title,
        "style": _STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "explicit_size": True,
        "width": 800,
        "height": height,
        "range": (0, 100),
        "include_x_axis": True,
        "show_legend": True,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 2 if horizontal else 4,
        "print_values": True,
        "print_zeroes": False,
        # The axis (0, 25, ..., 100); each segment prints its figure through _printed_as.
        "value_formatter": lambda value: f"{value:g}%" if value else "",
        "truncate_label": -1,
        "truncate_legend": -1,
        "margin": 12,
        "spacing": 12,
        "show_y_guides": not horizontal,
        "show_x_guides": horizontal,
        "tooltip_border_radius": 0,
    }


def _figures(row) -> list[Figure]:
    return list(getattr(row, "grades", None) or getattr(row, "figures", None) or [])


def _label(row) -> str:
    label = ""
    for attribute in ("theme_name", "agency_name", "audit_title", "label"):
        value = getattr(row, attribute, None)
        if value:
            label = str(value)
            break
    if len(label) > LABEL_LIMIT:  # the table beside the chart has the full name
        label = label[: LABEL_LIMIT - 1].rstrip() + "…"
    figures = _figures(row)
    if not figures or figures[0].denominator == 0:
        label += " (no answers)"
    return label


def _series(
    rows: Sequence, suppress_below: int
) -> tuple[list[list[float | None]], list[list[str]]]:
    """series[grade][row] = the length of that grade's segment in that row, in percentage
    points (None when not shown), and printed[grade][row] the figure printed on it: its own
    whole percentage (auditportal.figures), so a chart never reads 12% where its table says 13%."""
    series: list[list[float | None]] = [[] for _ in GRADES]
    printed: list[list[str]] = [[] for _ in GRADES]
    for row in rows:
        figures = _figures(row)
        for index in range(len(GRADES)):
            figure = figures[index] if index < len(figures) else None
            if figure is None or figure.share is None or figure.is_suppressed(suppress_below):
                series[index].append(None)
                printed[index].append("")
            else:
                series[index].append(100 * figure.share)
                printed[index].append(f"{figure.percent}%" if figure.count else "")
    return series, printed


def _printed_as(texts: list[str]) -> Callable[..., str]:
    """A pygal value formatter that prints each segment's figure (pygal passes its index)."""

    def formatter(value: float | None, index: int | None = None) -> str:
        return texts[index] if index is not None and value else ""

    return formatter


# Rendering a chart with pygal costs 50-200 ms of CPU, and a results page draws a dozen
# (docs/benchmarks.md). A chart is a pure function of its title, labels and percentages, so
# the SVG is cached under a hash of exactly those: new figures make a new key, never a stale
# picture. CHART_CACHE_SECONDS = 0 switches the cache off.
_CHART_VERSION = 2


def _cached_svg(
    kind: str, title: str, labels: list, series: list, printed: list, draw: Callable[[], str]
) -> str:
    seconds = getattr(settings, "CHART_CACHE_SECONDS", 24 * 60 * 60)
    if not seconds:
        return draw()
    payload = json.dumps([_CHART_VERSION, kind, title, labels, series, printed], default=str)
    key = "chart-svg:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = draw()
        cache.set(key, svg, seconds)
    return svg


def grade_chart_svg(themes: Sequence, *, title: str, suppress_below: int = 0) -> str:
    """Stacked horizontal bars: one per theme (or agency), each grade's share of the answered
    grade questions (not applicable left out, as in the table)."""
    # pygal draws the first label at the bottom: reverse so the chart reads like the table.
    rows = list(reversed(themes))
    labels = [_label(row) for row in rows]
    series, printed = _series(rows, suppress_below)

    def draw() -> str:
        config = _config(title, height=150 + 48 * max(len(themes), 1), horizontal=True)
        chart = pygal.HorizontalStackedBar(**config)
        chart.x_labels = labels
        chart.y_labels = [0, 25, 50, 75, 100]
        for (_, name), values, texts in zip(GRADES, series, printed, strict=True):
            chart.add(name, values, formatter=_printed_as(texts))
        return chart.render(is_unicode=True)

    return _cached_svg("grade", title, labels, series, printed, draw)


def trend_chart_svg(points: Sequence, *, title: str, suppress_below: int = 0) -> str:
    """Stacked vertical bars, one per audit oldest to newest, each grade's share."""
    labels = [_label(point) for point in points]
    series, printed = _series(points, suppress_below)

    def draw() -> str:
        config = _config(title, height=460, horizontal=False)
        config["x_label_rotation"] = 0 if len(points) <= 4 else 20
        chart = pygal.StackedBar(**config)
        chart.x_labels = labels
        chart.y_labels = [0, 25, 50, 75, 100]
        for (_, name), values, texts in zip(GRADES, series, printed, strict=True):
            chart.add(name, values, formatter=_printed_as(texts))
        return chart.render(is_unicode=True)

    return _cached_svg("trend", title, labels, series, printed, draw)


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
