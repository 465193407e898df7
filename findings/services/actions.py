"""Writes for actions, and the overdue-action reminders to their owners."""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from auditportal.auditlog import audit_log
from auditportal.text import one_line
from audits.models import Audit, NotificationSent
from cases.models import Agency, Membership

from ..models import Action, Finding, SubGroup

logger = logging.getLogger(__name__)
ACTION_TEXT_LIMIT = 2000


# ---------------------------------------------------------------------------------------------
# Actions


def _clean_action_fields(
    *,
    audit: Audit,
    text: str,
    section: str,
    owner_agency: Agency | None,
    owner_subgroup: SubGroup | None,
    findings: Iterable[Finding],
) -> tuple[str, list[Finding]]:
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = "Say what will be done: the action cannot be empty."
    elif len(text) > ACTION_TEXT_LIMIT:
        errors["text"] = f"Keep an action to {ACTION_TEXT_LIMIT} characters (it has {len(text)})."
    if section not in Action.Section.values:
        errors["section"] = "Choose where this action belongs in the briefing."
    if (owner_agency is None) == (owner_subgroup is None):
        errors["owner"] = "Choose one owner: an agency or a sub-group."
    findings = list(findings)
    if any(f.audit_id != audit.pk for f in findings):
        errors["findings"] = "Linked findings must belong to this audit."
    if errors:
        raise ValidationError(errors)
    return text, findings


@transaction.atomic
def action_create(
    *,
    audit: Audit,
    text: str,
    due_date: datetime.date | None,
    actor: User,
    section: str = Action.Section.WILL_DO,
    owner_agency: Agency | None = None,
    owner_subgroup: SubGroup | None = None,
    findings: Iterable[Finding] = (),
) -> Action:
    text, findings = _clean_action_fields(
        audit=audit,
        text=text,
        section=section,
        owner_agency=owner_agency,
        owner_subgroup=owner_subgroup,
        findings=findings,
    )
    if due_date is None:
        raise ValidationError({"due_date": "Give the date the action is due."})
    if due_date < timezone.localdate():
        raise ValidationError(
            {"due_date": "The due date is in the past: choose today or a later date."}
        )
    if owner_subgroup is not None and not owner_subgroup.active:
        raise ValidationError({"owner": "This sub-group is retired: choose another owner."})
    action = Action(
        audit=audit,
        text=text,
        section=section,
        owner_agency=owner_agency,
        owner_subgroup=owner_subgroup,
        due_date=due_date,
        created_by=actor,
    )
    action.full_clean()
    action.save()
    action.findings.set(findings)
    audit_log(
        actor=actor,
        code="action.created",
        target=action,
        changes={"audit": audit.pk, "owner": str(action.owner), "due_date": str(due_date)},
    )
    return action


@transaction.atomic
def action_update(
    *,
    action: Action,
    text: str,
    due_date: datetime.date | None,
    actor: User,
    section: str = Action.Section.WILL_DO,
    owner_agency: Agency | None = None,
    owner_subgroup: SubGroup | None = None,
    findings: Iterable[Finding] = (),
) -> Action:
    """A due date already in the past may stay; a changed one must not be in the past."""
    text, findings = _clean_action_fields(
        audit=action.audit,
        text=text,
        section=section,
        owner_agency=owner_agency,
        owner_subgroup=owner_subgroup,
        findings=findings,
    )
    if due_date is None:
        raise ValidationError({"due_date": "Give the date the action is due."})
    if due_date != action.due_date and due_date < timezone.localdate():
        raise ValidationError(
            {"due_date": "The new due date is in the past: choose today or a later date."}
        )
    if (
        owner_subgroup is not None
        and not owner_subgroup.active
        and owner_subgroup.pk != action.owner_subgroup_id
    ):
        raise ValidationError({"owner": "This sub-group is retired: choose another owner."})
    before = {"owner": str(action.owner), "due_date": str(action.due_date)}
    action.text = text
    action.section = section
    action.owner_agency = owner_agency
    action.owner_subgroup = owner_subgroup
    action.due_date = due_date
    action.full_clean(exclude=["created_by"])
    action.save(
        update_fields=[
            "text",
            "section",
            "owner_agency",
            "owner_subgroup",
            "due_date",
            "updated_at",
        ]
    )
    action.findings.set(findings)
    audit_log(
        actor=actor,
        code="action.updated",
        target=action,
        changes={
            "before": before,
            "after": {"owner": str(action.owner), "due_date": str(due_date)},
        },
    )
    return action


@transaction.atomic
def action_set_status(
    *, action: Action, status: str, actor: User, completion_evidence: str = ""
) -> Action:
    """Done needs completion evidence: the partnership must be able to show practice changed."""
    if status not in Action.Status.values:
        raise ValidationError({"status": "Choose open, in progress or done."})
    evidence = (completion_evidence or "").strip()
    if len(evidence) > 2000:
        raise ValidationError(
            {"completion_evidence": "Keep the completion evidence to 2000 characters."}
        )
    if status == Action.Status.DONE and not evidence:
        raise ValidationError(
            {
                "completion_evidence": "Say what shows the action is done (for example the "
                "training dates and numbers attending) before marking it done."
            }
        )
    before = action.status
    action.status = status
    action.completion_evidence = evidence
    if status == Action.Status.DONE:
        action.completed_at = action.completed_at or timezone.now()
    else:
        action.completed_at = None
    action.full_clean(exclude=["created_by"])
    action.save(update_fields=["status", "completion_evidence", "completed_at", "updated_at"])
    audit_log(
        actor=actor,
        code="action.status_changed",
        target=action,
        changes={"from": before, "to": status},
    )
    return action


@transaction.atomic
def action_delete(*, action: Action, actor: User) -> None:
    audit_log(actor=actor, code="action.deleted", target=action, changes={"audit": action.audit_id})
    action.delete()


def _owner_key(action: Action) -> str:
    if action.owner_agency_id:
        return f"agency-{action.owner_agency_id}"
    return f"subgroup-{action.owner_subgroup_id}"


def _owner_recipients(action: Action) -> list[str]:
    """Agency: its lead practitioners, else its safeguarding lead. Sub-group: its lead."""
    if action.owner_agency_id:
        leads = list(
            Membership.objects.filter(
                agency_id=action.owner_agency_id, is_lead=True, user__is_active=True
            )
            .exclude(user__email="")
            .order_by("user__email")
            .values_list("user__email", flat=True)
        )
        if leads:
            return leads
        assert action.owner_agency is not None
        email = action.owner_agency.safeguarding_lead_email
    else:
        # The database holds exactly one owner (a check constraint).
        assert action.owner_subgroup is not None
        email = action.owner_subgroup.lead_email
    return [email] if email else []


def overdue_actions_notify(*, today: datetime.date | None = None) -> int:
    """Weekly: one email per owner listing its overdue actions, to the owner's lead.

    Keyed by owner and ISO week in NotificationSent, so a repeated or retried run in the same
    week sends nothing twice. Returns the number of emails sent."""
    from ..selectors import overdue_actions

    today = today or timezone.localdate()
    iso_year, week, _ = today.isocalendar()
    by_owner: dict[str, list[Action]] = {}
    for action in overdue_actions(today):
        by_owner.setdefault(_owner_key(action), []).append(action)

    sent = 0
    for owner_key, actions in by_owner.items():
        recipients = _owner_recipients(actions[0])
        if not recipients:
            logger.warning("Overdue actions of %s have no lead to email", owner_key)
            continue
        key = f"overdue-actions:{owner_key}:{iso_year}-W{week:02d}"
        context = {
            "owner": actions[0].owner,
            "actions": [
                {
                    "action": action,
                    "url": settings.SITE_URL + reverse("findings:action-detail", args=[action.pk]),
                    "days_overdue": (today - action.due_date).days,
                }
                for action in actions
            ],
            "tracker_url": settings.SITE_URL + reverse("findings:action-tracker"),
            "partnership": settings.PARTNERSHIP_NAME,
        }
        try:
            with transaction.atomic():
                _, created = NotificationSent.objects.get_or_create(key=key)
                if not created:
                    continue
                subject = one_line(
                    render_to_string("findings/email/overdue_actions_subject.txt", context)
                )
                body = render_to_string("findings/email/overdue_actions.txt", context)
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
                audit_log(
                    actor=None,
                    code="action.overdue_emailed",
                    target=actions[0].owner,
                    changes={"actions": [a.pk for a in actions], "week": f"{iso_year}-W{week}"},
                )
        except Exception:
            # The key rolls back with the failed send, so the next run tries again.
            logger.exception("Could not email overdue actions of %s", owner_key)
            continue
        sent += 1
    return sent
