"""Form helpers for templates: where an error summary's link goes."""

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def error_anchor(field: BoundField) -> str:
    """The id an error summary links to: the field's own input, or, for a group of tick boxes
    or radios (whose label points at no single input, so Django gives no id), its first one."""
    return field.id_for_label or f"{field.auto_id}_0"
