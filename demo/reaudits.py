"""A planned re-audit of the demo's published audit, scheduled from its first action the way
"Check with a re-audit" does, with the same children: the business team opens it from the
programme, and its "Did practice change?" page fills as returns are submitted. Idempotent:
one re-audit of that audit."""

import datetime

from django.utils import timezone

from accounts.models import User
from audits.models import Audit
from findings.models import ReAudit
from findings.reaudits import REAUDITABLE_STATUSES, reaudit_schedule

try:
    from demo.audits import PUBLISHED
except ImportError:  # the audits demo is loaded first when it exists
    PUBLISHED = "Deep dive: emotional health of young people open to early help"

TITLE = "Re-audit: emotional health of young people open to early help"


def load(users: list[User]) -> ReAudit | None:
    source = Audit.objects.filter(title=PUBLISHED).first()
    if source is None or source.status not in REAUDITABLE_STATUSES:
        return None
    existing = ReAudit.objects.filter(source_audit=source).first()
    if existing is not None:
        return existing
    action = source.actions.order_by("due_date", "pk").first()
    business = next(user for user in users if user.role == User.Role.BUSINESS)
    opens = timezone.localdate() + datetime.timedelta(days=42)
    return reaudit_schedule(
        source=source,
        actor=business,
        actions=[action] if action else [],
        title=TITLE,
        returns_open=opens,
        returns_due=opens + datetime.timedelta(days=28),
        same_children=True,
    )
