"""Password changes and resets in the audit trail, as security rows about the account.
The address a reset was asked for is never logged (it may not be anyone's)."""

from collections.abc import Iterable

from auditportal.auditlog import audit_log
from auditportal.models import AuditEvent

from .models import User


def password_change_log(*, user: User) -> None:
    audit_log(actor=user, verb="password changed", target=user, kind=AuditEvent.Kind.SECURITY)


def password_reset_request_log(*, users: Iterable[User]) -> None:
    """One row per account that a reset link is sent to; none for an unknown address."""
    for user in users:
        audit_log(
            actor=None,
            verb="password reset requested",
            target=user,
            kind=AuditEvent.Kind.SECURITY,
            changes={"sent to": "the account's e-mail address"},
        )


def password_reset_complete_log(*, user: User) -> None:
    audit_log(
        actor=None,
        verb="password reset completed",
        target=user,
        kind=AuditEvent.Kind.SECURITY,
        changes={"by": "the holder of the e-mailed reset link"},
    )
