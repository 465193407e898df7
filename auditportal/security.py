"""Signal receivers for sign-in security (connected from AuditPortalConfig.ready):

- a sign-in starts the idle and absolute session clocks and clears the user's own failed
  sign-ins (never the address's failures for other usernames);
- a django-axes lockout writes a security row to the audit trail (username and IP, never a
  password);
- deactivating a user ends every session they have.

`client_address` is the client address django-axes counts failures by.
"""

import ipaddress

from axes.signals import user_locked_out
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from .auditlog import audit_log


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The address of the client. Behind the trusted proxy (BEHIND_PROXY) that is the last
    X-Forwarded-For entry, the one the proxy appended: anything to its left came from the
    client and proves nothing. Otherwise REMOTE_ADDR, and the header is ignored."""
    remote = request.META.get("REMOTE_ADDR", "")
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        address = _valid_address(forwarded[-1])
        if address:
            return address
    return _valid_address(remote) or remote or None


@receiver(user_logged_in, dispatch_uid="security_clear_own_failures")
def clear_own_failures(sender, request, user, **kwargs) -> None:
    axes_reset(username=user.get_username())


@receiver(user_locked_out, dispatch_uid="security_lockout_logged")
def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    audit_log(
        actor=None,
        code="account.sign_in_locked",
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
