"""E-mails about returns. Each is sent once per event: a NotificationSent row with a unique key
is claimed before sending (and released if sending fails), so a retried or repeated task never
sends twice. No e-mail carries a child's details: no pseudonym, no record reference, no answer.
"""

import logging
from collections import defaultdict

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from auditportal import outbox
from auditportal.auditlog import audit_log
from auditportal.text import one_line
from cases.branding import partnership_name, sender
from cases.hosts import base_url
from cases.models import Membership

from .models import Audit, ConcernAlert, ImmediateConcern, NotificationSent, Return

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """A link at the address of the partnership this code runs for (a task: its own)."""
    return f"{base_url()}{path}"


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
        template, {**context, "PARTNERSHIP_NAME": partnership_name(), "recipient": recipient}
    )
    try:
        send_mail(one_line(subject), body, sender(), [to])
    except Exception:
        claim.delete()  # not sent: let the retry (or tomorrow's run) try again
        raise
    return True


def notify_audit_opened(*, audit_id: int) -> int:
    """Every active practitioner of each agency with returns in the audit hears once that it
    opened (a practitioner of two involved agencies gets one e-mail), with how many returns are
    their agency's and how many are assigned to them. Returns e-mails sent."""
    audit = Audit.objects.get(pk=audit_id)
    agency_returns: dict[int, int] = defaultdict(int)
    assigned: dict[int, int] = defaultdict(int)
    for agency_id, assignee_id in audit.returns.values_list("agency_id", "assignee_id"):
        agency_returns[agency_id] += 1
        if assignee_id:
            assigned[assignee_id] += 1
    agencies_of: dict[int, list] = defaultdict(list)
    users: dict[int, User] = {}
    memberships = (
        Membership.objects.filter(
            agency_id__in=agency_returns, user__role=User.Role.PRACTITIONER, user__is_active=True
        )
        .select_related("user", "agency")
        .order_by("user_id", "agency__name")
    )
    for membership in memberships:
        users[membership.user_id] = membership.user
        agencies_of[membership.user_id].append(membership.agency)
    sent = 0
    for user_id, user in users.items():
        agencies = agencies_of[user_id]
        sent += send_once(
            key=f"opened:{audit.pk}:{user.pk}",
            to=user.email,
            recipient=user,
            subject=f"Audit open for returns: {audit.title}",
            template="audits/email/audit_opened.txt",
            context={
                "audit": audit,
                "count": assigned.get(user_id, 0),
                "agency_names": " and ".join(a.name for a in agencies),
                "several_agencies": len(agencies) > 1,
                "agency_count": sum(agency_returns[a.pk] for a in agencies),
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


# An immediate-concern alert is tried at once, then this many times in all, waiting
# ALERT_RETRY_SECONDS, doubling, between tries (1, 2, 4, 8 and 16 minutes: about half an hour).
ALERT_ATTEMPTS = 6
ALERT_RETRY_SECONDS = 60


def concern_alerts_create(*, concern: ImmediateConcern) -> list[ConcernAlert]:
    """One alert per person to tell, in the concern's transaction: every active member of the
    business team and the agency's safeguarding lead. Someone without an address is recorded
    too, as not alerted, so the gap shows."""
    agency = concern.audit_return.agency
    alerts = [
        ConcernAlert(
            concern=concern,
            recipient=user,
            label=f"{user.get_full_name() or user.get_username()}, business team",
            address=user.email,
        )
        for user in User.objects.filter(role=User.Role.BUSINESS, is_active=True).order_by("pk")
    ]
    if agency.safeguarding_lead_email:
        alerts.append(
            ConcernAlert(
                concern=concern,
                label=f"{agency.name}'s safeguarding lead",
                address=agency.safeguarding_lead_email,
            )
        )
    return ConcernAlert.objects.bulk_create(alerts)


def _concern_message(concern: ImmediateConcern) -> tuple[str, str]:
    """Subject and body: the audit and the agency, never the child."""
    body = render_to_string(
        "audits/email/concern_raised.txt",
        {
            "audit": concern.audit,
            "agency": concern.audit_return.agency,
            "raised_at": concern.raised_at,
            "url": absolute_url(reverse("audits:concern-resolve", args=[concern.pk])),
            "PARTNERSHIP_NAME": partnership_name(),
        },
    )
    return one_line(f"Immediate concern raised: {concern.audit.title}"), body


def _send_alert(alert_id: int, subject: str, body: str) -> bool:
    """Send one alert unless it went already (the row is locked meanwhile, so two senders
    never both send it). True once it has gone."""
    with transaction.atomic():
        alert = ConcernAlert.objects.select_for_update().get(pk=alert_id)
        if alert.status == ConcernAlert.Status.SENT:
            return True
        alert.attempts += 1
        alert.last_attempt_at = timezone.now()
        fields = ["attempts", "last_attempt_at", "status", "last_error", "sent_at"]
        if not alert.address:
            alert.status = ConcernAlert.Status.FAILED
            alert.last_error = "No e-mail address on the account."
            alert.save(update_fields=fields)
            return True  # nothing to try again; shown as not delivered
        try:
            send_mail(subject, body, sender(), [alert.address])
        except Exception as exc:
            logger.warning("immediate-concern alert %s not sent: %s", alert.pk, type(exc).__name__)
            alert.last_error = f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:200]
            alert.save(update_fields=fields)
            return False
        alert.status = ConcernAlert.Status.SENT
        alert.sent_at = timezone.now()
        alert.last_error = ""
        alert.save(update_fields=fields)
        return True


def concern_alerts_send(*, concern_id: int) -> list[int]:
    """Try every alert of the concern still to send; returns the ids that did not go."""
    concern = ImmediateConcern.objects.select_related("audit", "audit_return__agency").get(
        pk=concern_id
    )
    subject, body = _concern_message(concern)
    pending = concern.alerts.filter(status=ConcernAlert.Status.PENDING).values_list("pk", flat=True)
    return [alert_id for alert_id in list(pending) if not _send_alert(alert_id, subject, body)]


def concern_alerts_deliver(*, concern_id: int, attempt: int = 1) -> int:
    """The task's pass: send what is still to go; if some did not, try again later through the
    outbox (so a retry survives Redis going away), or after the last attempt mark them not
    delivered and write each to the audit trail. Returns how many did not go."""
    failed = concern_alerts_send(concern_id=concern_id)
    if not failed:
        return 0
    concern = ImmediateConcern.objects.get(pk=concern_id)
    with transaction.atomic():
        if attempt < ALERT_ATTEMPTS:
            outbox.enqueue(
                "audits.deliver_concern_alerts",
                kwargs={"concern_id": concern_id, "attempt": attempt + 1},
                ref=outbox.ref_for(concern),
                countdown=ALERT_RETRY_SECONDS * 2 ** (attempt - 1),
            )
            return len(failed)
        for alert in ConcernAlert.objects.select_for_update().filter(
            pk__in=failed, status=ConcernAlert.Status.PENDING
        ):
            alert.status = ConcernAlert.Status.FAILED
            alert.save(update_fields=["status"])
            audit_log(
                actor=None,
                code="concern.alert_failed",
                target=concern,
                changes={"to": alert.label, "attempts": alert.attempts, "error": alert.last_error},
            )
    return len(failed)


def concern_alerts_send_now(*, concern_id: int) -> None:
    """Right after the concern commits, in the request: not waiting for a worker. Retries are
    the task's (queued with the concern); this never fails the request."""
    try:
        concern_alerts_send(concern_id=concern_id)
    except Exception:
        logger.exception("immediate-concern alerts of %s: first try failed", concern_id)
