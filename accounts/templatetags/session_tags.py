from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def session_idle_seconds() -> int:
    """The idle timeout, for static/js/session.js (data-session-idle on <body>)."""
    return settings.SESSION_IDLE_SECONDS
