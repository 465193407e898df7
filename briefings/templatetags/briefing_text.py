from django import template
from django.utils.safestring import SafeString

from briefings.formatting import format_text

register = template.Library()


@register.filter
def briefing_text(value: str) -> SafeString:
    """Paragraphs, "- " bullets and **bold** only; everything else escaped."""
    return format_text(value or "")
