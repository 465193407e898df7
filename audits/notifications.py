"""E-mails about returns. Each is sent once per event: a NotificationSent row with a unique key
is claimed before sending (and released if sending fails), so a retried or repeated task never
sends twice. No e-mail carries a child's details: no pseudonym, no record reference, no answer.
"""

import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User

from .models import Audit, ImmediateConcern, NotificationSent, Return

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def send_once(
    *,
    key: str,
    to: str,
    subject: str,
    template: str,
    context: dict,
    recipient: User | None = None,
) -> bool:
    """Send one e-mail for the event named by `key`, unless it was sent before. True if sent."""
    if not to:
        return False
    try:
        with transaction.atomic():
            claim = NotificationSent.objects.create(key=key[:200], recipient=recipient)
    except IntegrityError:
        return False
    body = render_to_string(
        template, {**context, "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME, "recipient": recipient}
    )
    try:
        send_mail(subject, body, None, [to])
    except Exception:
        claim.delete()  # not sent: let the retry (or tomorrow's run) try again
        raise
    return True


def notify_audit_opened(*, audit_id: int) -> int:
    """Each assignee of the audit's returns hears once that it opened. Returns e-mails sent."""
    audit = Audit.objects.get(pk=audit_id)
    counts: dict[int, int] = defaultdict(int)
    for assignee_id in audit.returns.exclude(assignee=None).values_list("assignee_id", flat=True):
        counts[assignee_id] += 1
    sent = 0
    for user in User.objects.filter(pk__in=counts, is_active=True):
        sent += send_once(
            key=f"opened:{audit.pk}:{user.pk}",
            to=user.email,
            recipient=user,
            subject=f"Audit open for returns: {audit.title}",
            template="audits/email/audit_opened.txt",
            context={
                "audit": audit,
                "count": counts[user.pk],
                "url": absolute_url(reverse("audits:my-returns")),
            },
        )
    return sent


def notify_return_assigned(*, return_id: int, event_id: int) -> bool:
    audit_return = Return.objects.select_related("audit", "agency", "assignee").get(pk=return_id)
    user = audit_return.assignee
    if user is None:
        return False
    return send_once(
        key=f"assigned:{audit_return.pk}:{event_id}",
        to=user.email,
        recipient=user,
        subject=f"A return has been assigned to you: {audit_return.audit.title}",
        template="audits/email/return_assigned.txt",
        context={
            "audit": audit_return.audit,
            "agency": audit_return.agency,
            "url": absolute_url(audit_return.get_absolute_url()),
        },
    )


def notify_return_sent_back(*, return_id: int, event_id: int) -> int:
    """The assignee (or, with none, the agency's leads) hears that a return needs amending.
    The reason is not in the e-mail: it can describe the child; it is shown on the return."""
    audit_return = Return.objects.select_related("audit", "agency", "assignee").get(pk=return_id)
    recipients = (
        [audit_return.assignee] if audit_return.assignee else _leads_of(audit_return.agency_id)
    )
    sent = 0
    for user in recipients:
        sent += send_once(
            key=f"sent_back:{audit_return.pk}:{event_id}:{user.pk}",
            to=user.email,
            recipient=user,
            subject=f"A return needs amending: {audit_return.audit.title}",
            template="audits/email/return_sent_back.txt",
            context={
                "audit": audit_return.audit,
                "agency": audit_return.agency,
                "url": absolute_url(audit_return.get_absolute_url()),
            },
        )
    return sent


def _leads_of(agency_id: int) -> list[User]:
    return list(
        User.objects.filter(
            memberships__agency_id=agency_id, memberships__is_lead=True, is_active=True
        )
    )


def notify_concern_raised(*, concern_id: int) -> int:
    """The business team (every active business-role user) and the agency's safeguarding lead,
    at once. The e-mail names the audit and the agency, never the child."""
    concern = ImmediateConcern.objects.select_related("audit", "audit_return__agency").get(
        pk=concern_id
    )
    agency = concern.audit_return.agency
    context = {
        "audit": concern.audit,
        "agency": agency,
        "raised_at": concern.raised_at,
        "url": absolute_url(reverse("audits:concern-resolve", args=[concern.pk])),
    }
    subject = f"Immediate concern raised: {concern.audit.title}"
    sent = 0
    for user in User.objects.filter(role=User.Role.BUSINESS, is_active=True):
        sent += send_once(
            key=f"concern:{concern.pk}:user:{user.pk}",
            to=user.email,
            recipient=user,
            subject=subject,
            template="audits/email/concern_raised.txt",
            context=context,
        )
    if agency.safeguarding_lead_email:
        sent += send_once(
            key=f"concern:{concern.pk}:lead:{agency.pk}",
            to=agency.safeguarding_lead_email,
            subject=subject,
            template="audits/email/concern_raised.txt",
            context=context,
        )
    return sent


def notify_concern_raised_safely(*, concern_id: int) -> None:
    """Send now; if the mail server fails, hand the retries to the Celery task."""
    try:
        notify_concern_raised(concern_id=concern_id)
    except Exception:
        logger.exception("Immediate-concern e-mail failed; retrying through Celery")
        from audits.tasks import notify_concern

        notify_concern.apply_async(kwargs={"concern_id": concern_id}, countdown=60)
