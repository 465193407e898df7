"""Table rows of figures: {{ row.figures|figure_cells }} -> <td>75% (3 of 4)</td><td>...</td>.

The results page has a row per agency in each theme's table: one filter per row instead of a
loop and a variable per cell is a good part of that page's rendering time."""

from collections.abc import Iterable

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from findings.results import Figure

register = template.Library()


@register.filter
def figure_cells(figures: Iterable[Figure]) -> SafeString:
    return format_html_join("", "<td>{}</td>", ((figure.display(),) for figure in figures))
