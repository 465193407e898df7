from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import mark_session_start


@receiver(user_logged_in, dispatch_uid="security_session_clock")
def start_session_clock(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        mark_session_start(request.session)
