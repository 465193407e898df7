"""Figures in templates: {{ figure|shown:threshold }} -> "75% (3 of 4)" or "fewer than 3"."""

from django import template

from audits.models import Grade, YesPartlyNo
from findings.results import Figure, count_display

register = template.Library()


@register.filter
def shown(figure: Figure, suppress_below: int = 0) -> str:
    return figure.display(int(suppress_below or 0))


@register.filter
def count_shown(count: int, suppress_below: int = 0) -> str:
    return count_display(int(count or 0), int(suppress_below or 0))


_LABELS = {**dict(YesPartlyNo.choices), **dict(Grade.choices)}


@register.filter
def choice_label(value: str) -> str:
    """The label of a stored grade or yes/partly/no value ("requires_improvement" ->
    "Requires improvement")."""
    return _LABELS.get(value, value)
