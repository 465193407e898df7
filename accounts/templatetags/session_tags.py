from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def session_idle_seconds() -> int:
    """The idle timeout, for static/js/session.js (data-session-idle on <body>)."""
    return settings.SESSION_IDLE_SECONDS


@register.simple_tag(takes_context=True)
def second_factor_pending(context) -> bool:
    """Signed in with a password but not yet with the code this user needs: the page offers
    sign-out only (MFAEnforcementMiddleware lets nothing else through anyway)."""
    from accounts.mfa import user_needs_mfa

    user = context.get("user")
    if user is None or not user.is_authenticated:
        return False
    verified = getattr(user, "is_verified", None)
    if verified is None or verified():
        return False
    known = getattr(context.get("request"), "second_factor_pending", None)
    return user_needs_mfa(user) if known is None else known
