"""What every write of the audit programme shares: the business-team check and field changes."""

from typing import Any

from accounts.models import User
from auditportal.access import require


def _require_business_team(actor: User) -> None:
    require(actor, "audits.manage_programme")  # audits.rules: PermissionDenied, so a 403


def _apply(instance: Any, fields: dict[str, Any]) -> dict[str, list[str]]:
    """Set fields on instance; return {field: [old, new]} for the ones that changed."""
    changes = {}
    for name, value in fields.items():
        old = getattr(instance, name)
        if old != value:
            changes[name] = [str(old), str(value)]
            setattr(instance, name, value)
    return changes
