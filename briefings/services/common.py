"""What every write of briefings shares: the business-team check."""

from django.core.exceptions import PermissionDenied

from accounts.models import User

from ..rules import may_compose_briefing


def _require_business_team(actor: User) -> None:
    if not may_compose_briefing.test(actor):
        raise PermissionDenied("Only the business team can do this.")
