"""Password changes and resets in the audit trail, as security rows about the account.
The address a reset was asked for is never logged (it may not be anyone's)."""

from collections.abc import Iterable

from auditportal.auditlog import audit_log

from .models import User


def _security_row(*, user: User, code: str, actor: User | None, changes: dict | None = None):
    audit_log(actor=actor, code=code, target=user, changes=changes)


def password_change_log(*, user: User) -> None:
    _security_row(user=user, code="account.password_changed", actor=user)


def password_reset_request_log(*, users: Iterable[User]) -> None:
    """One row per account that a reset link is sent to; none for an unknown address."""
    for user in users:
        _security_row(
            user=user,
            code="account.password_reset_requested",
            actor=None,
            changes={"sent to": "the account's e-mail address"},
        )


def password_reset_complete_log(*, user: User) -> None:
    _security_row(
        user=user,
        code="account.password_reset_completed",
        actor=None,
        changes={"by": "the holder of the e-mailed reset link"},
    )
