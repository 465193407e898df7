"""Signal receivers for sign-in security (connected from AuditPortalConfig.ready):

- a sign-in starts the idle and absolute session clocks;
- a django-axes lockout writes a security row to the audit trail (username and IP, never a
  password);
- deactivating a user ends every session they have.
"""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from accounts.middleware import mark_session_start

from .auditlog import audit_log
from .models import AuditEvent


@receiver(user_logged_in, dispatch_uid="security_session_clock")
def start_session_clock(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        mark_session_start(request.session)


@receiver(user_locked_out, dispatch_uid="security_lockout_logged")
def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    audit_log(
        actor=None,
        verb="sign-in locked after repeated failures",
        kind=AuditEvent.Kind.SECURITY,
        changes={"username": str(username or "")[:150], "ip_address": str(ip_address or "")},
    )


def end_sessions_of(user_id: int) -> int:
    """Delete every database session belonging to the user; returns how many."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id):
            session.delete()
            ended += 1
    return ended


@receiver(post_save, sender=get_user_model(), dispatch_uid="security_end_sessions")
def end_sessions_of_deactivated_user(sender, instance, created, **kwargs) -> None:
    if not created and not instance.is_active:
        end_sessions_of(instance.pk)
