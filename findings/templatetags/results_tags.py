"""Figures in templates: {{ figure|shown:threshold }} -> "75% (3 of 4)" or "fewer than 3";
{{ row.figures|figure_cells }} -> <td>75% (3 of 4)</td><td>...</td>."""

from collections.abc import Iterable

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from auditportal.figures import Figure, count_display
from audits.models import Grade, YesPartlyNo

register = template.Library()


@register.filter
def shown(figure: Figure, suppress_below: int = 0) -> str:
    return figure.display(int(suppress_below or 0))


@register.filter
def figure_cells(figures: Iterable[Figure]) -> SafeString:
    """A row's figure cells in one go: the results page has a row per agency in each theme's
    table, and one filter per row instead of a loop and a variable per cell is a good part of
    that page's rendering time."""
    return format_html_join("", "<td>{}</td>", ((figure.display(),) for figure in figures))


@register.filter
def count_shown(count: int, suppress_below: int = 0) -> str:
    return count_display(int(count or 0), int(suppress_below or 0))


_LABELS = {**dict(YesPartlyNo.choices), **dict(Grade.choices)}


@register.filter
def choice_label(value: str) -> str:
    """The label of a stored grade or yes/partly/no value ("requires_improvement" ->
    "Requires improvement")."""
    return _LABELS.get(value, value)
