"""Writes for findings, actions, sub-groups, engagement, quotes and resources.

Every service validates, saves and writes its audit-log entry in one transaction, and raises
django.core.exceptions.ValidationError with a message a user can act on.
"""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from auditportal.auditlog import audit_log
from auditportal.text import one_line
from audits.models import Answer, Audit, Grade, NotificationSent, Return, Theme, YesPartlyNo
from cases.models import Agency, Membership

from .models import QUOTE_LIMIT, Action, Engagement, Finding, Quote, Resource, SubGroup

logger = logging.getLogger(__name__)

FINDING_TEXT_LIMIT = 2000
ACTION_TEXT_LIMIT = 2000

# ---------------------------------------------------------------------------------------------
# Findings


def _finding_display_key(finding: Finding) -> tuple:
    return (finding.theme.order, finding.theme.name, finding.order, finding.pk)


def findings_renumber(*, audit: Audit, kind: str) -> None:
    """Keep `order` equal to the display order: grouped by theme (bank order), then as the
    business team arranged them. So `Finding.Meta.ordering` is also the briefing's order."""
    findings = sorted(
        Finding.objects.filter(audit=audit, kind=kind).select_related("theme"),
        key=_finding_display_key,
    )
    changed = []
    for position, finding in enumerate(findings, start=1):
        if finding.order != position:
            finding.order = position
            changed.append(finding)
    if changed:
        Finding.objects.bulk_update(changed, ["order"])


def _clean_finding_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the finding: the text cannot be empty."})
    if len(text) > FINDING_TEXT_LIMIT:
        raise ValidationError(
            {"text": f"Keep a finding to {FINDING_TEXT_LIMIT} characters (it has {len(text)})."}
        )
    return text


def _check_returns_of_audit(audit: Audit, source_returns: Iterable[Return]) -> list[Return]:
    source_returns = list(source_returns)
    if any(r.audit_id != audit.pk for r in source_returns):
        raise ValidationError({"source_returns": "Source returns must belong to this audit."})
    return source_returns


@transaction.atomic
def finding_create(
    *,
    audit: Audit,
    kind: str,
    theme: Theme | None,
    text: str,
    actor: User,
    agencies: Iterable[Agency] = (),
    source_returns: Iterable[Return] = (),
) -> Finding:
    """A strength or an area for development, placed last within its theme."""
    if theme is None:
        raise ValidationError({"theme": "Choose the theme this finding is about."})
    if kind not in Finding.Kind.values:
        raise ValidationError({"kind": "Choose a strength or an area for development."})
    source_returns = _check_returns_of_audit(audit, source_returns)
    last = Finding.objects.filter(audit=audit, kind=kind).aggregate(m=Max("order"))["m"] or 0
    finding = Finding(
        audit=audit,
        kind=kind,
        theme=theme,
        text=_clean_finding_text(text),
        order=last + 1,
        created_by=actor,
    )
    finding.full_clean()
    finding.save()
    finding.agencies.set(list(agencies))
    finding.source_returns.set(source_returns)
    findings_renumber(audit=audit, kind=kind)
    audit_log(
        actor=actor,
        code="finding.created",
        target=finding,
        changes={"audit": audit.pk, "kind": kind, "theme": theme.name},
    )
    finding.refresh_from_db(fields=["order"])
    return finding


@transaction.atomic
def finding_update(
    *,
    finding: Finding,
    kind: str,
    theme: Theme | None,
    text: str,
    actor: User,
    agencies: Iterable[Agency] = (),
    source_returns: Iterable[Return] | None = None,
) -> Finding:
    """source_returns=None leaves the source returns as they are."""
    if theme is None:
        raise ValidationError({"theme": "Choose the theme this finding is about."})
    if kind not in Finding.Kind.values:
        raise ValidationError({"kind": "Choose a strength or an area for development."})
    old_kind, old_theme = finding.kind, finding.theme_id
    if source_returns is not None:
        source_returns = _check_returns_of_audit(finding.audit, source_returns)
    finding.kind = kind
    finding.theme = theme
    finding.text = _clean_finding_text(text)
    if kind != old_kind:
        # Moving to the other list: it goes last there.
        last = Finding.objects.filter(audit=finding.audit, kind=kind).aggregate(m=Max("order"))
        finding.order = (last["m"] or 0) + 1
    finding.full_clean(exclude=["created_by"])
    finding.save(update_fields=["kind", "theme", "text", "order", "updated_at"])
    finding.agencies.set(list(agencies))
    if source_returns is not None:
        finding.source_returns.set(source_returns)
    if kind != old_kind or theme.pk != old_theme:
        findings_renumber(audit=finding.audit, kind=old_kind)
        findings_renumber(audit=finding.audit, kind=kind)
    audit_log(
        actor=actor,
        code="finding.updated",
        target=finding,
        changes={"kind": kind, "theme": theme.name},
    )
    return finding


@transaction.atomic
def finding_delete(*, finding: Finding, actor: User) -> None:
    audit, kind = finding.audit, finding.kind
    audit_log(actor=actor, code="finding.deleted", target=finding, changes={"audit": audit.pk})
    finding.delete()
    findings_renumber(audit=audit, kind=kind)


@transaction.atomic
def finding_move(*, finding: Finding, direction: str, actor: User) -> Finding:
    """Swap with the neighbour above or below within the same audit, kind and theme."""
    if direction not in {"up", "down"}:
        raise ValidationError("Move a finding up or down.")
    siblings = list(
        Finding.objects.select_for_update()
        .filter(audit=finding.audit_id, kind=finding.kind, theme=finding.theme_id)
        .order_by("order", "pk")
    )
    index = next(i for i, f in enumerate(siblings) if f.pk == finding.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(siblings):
        return finding  # already first or last: nothing to do
    current, other = siblings[index], siblings[other_index]
    current.order, other.order = other.order, current.order
    if current.order == other.order:  # equal orders from older data: break the tie
        current.order += -1 if direction == "up" else 1
    Finding.objects.bulk_update([current, other], ["order"])
    findings_renumber(audit=finding.audit, kind=finding.kind)
    audit_log(actor=actor, code="finding.moved", target=current, changes={"direction": direction})
    finding.refresh_from_db(fields=["order"])
    return finding


_GOOD = {Grade.OUTSTANDING, Grade.GOOD, YesPartlyNo.YES}


def _promoted_kind(answer: Answer) -> str:
    """A good grade's evidence is usually a strength; anything else a development."""
    grade = answer.moderated_choice or answer.choice
    return Finding.Kind.STRENGTH if grade in _GOOD else Finding.Kind.DEVELOPMENT


@transaction.atomic
def finding_promote_from_answer(*, answer: Answer, actor: User, kind: str | None = None) -> Finding:
    """One click at moderation: a finding prefilled with the answer's evidence text, its
    question's theme, its return (as source) and its agency; the user edits it next."""
    # Free-text questions keep their answer in `text`; the others in `evidence`.
    evidence = (answer.evidence or "").strip() or (answer.text or "").strip()
    if not evidence:
        raise ValidationError("This answer has no evidence text to promote.")
    audit_return = answer.audit_return
    if len(evidence) > FINDING_TEXT_LIMIT:
        evidence = evidence[: FINDING_TEXT_LIMIT - 1].rstrip() + "…"
    finding = finding_create(
        audit=audit_return.audit,
        kind=kind if kind in Finding.Kind.values else _promoted_kind(answer),
        theme=answer.item.theme,
        text=evidence,
        actor=actor,
        agencies=[audit_return.agency],
        source_returns=[audit_return],
    )
    audit_log(
        actor=actor,
        code="finding.promoted",
        target=finding,
        changes={"answer": answer.pk, "return": audit_return.pk},
    )
    return finding


# ---------------------------------------------------------------------------------------------
# Sub-groups


def _clean_subgroup(subgroup: SubGroup) -> None:
    subgroup.name = (subgroup.name or "").strip()
    if not subgroup.name:
        raise ValidationError({"name": "Give the sub-group a name."})
    clash = SubGroup.objects.filter(name__iexact=subgroup.name).exclude(pk=subgroup.pk)
    if clash.exists():
        raise ValidationError({"name": "A sub-group with this name already exists."})
    subgroup.full_clean()


@transaction.atomic
def subgroup_create(
    *, name: str, actor: User, lead_name: str = "", lead_email: str = ""
) -> SubGroup:
    subgroup = SubGroup(name=name, lead_name=lead_name.strip(), lead_email=lead_email.strip())
    _clean_subgroup(subgroup)
    subgroup.save()
    audit_log(actor=actor, code="subgroup.created", target=subgroup)
    return subgroup


@transaction.atomic
def subgroup_update(
    *, subgroup: SubGroup, name: str, actor: User, lead_name: str = "", lead_email: str = ""
) -> SubGroup:
    subgroup.name = name
    subgroup.lead_name = lead_name.strip()
    subgroup.lead_email = lead_email.strip()
    _clean_subgroup(subgroup)
    subgroup.save(update_fields=["name", "lead_name", "lead_email"])
    audit_log(actor=actor, code="subgroup.updated", target=subgroup)
    return subgroup


@transaction.atomic
def subgroup_set_active(*, subgroup: SubGroup, active: bool, actor: User) -> SubGroup:
    """Retire (active=False) or reinstate. A retired sub-group keeps its actions but is not
    offered as an owner of new ones."""
    subgroup.active = active
    subgroup.save(update_fields=["active"])
    audit_log(
        actor=actor,
        code="subgroup.reinstated" if active else "subgroup.retired",
        target=subgroup,
    )
    return subgroup


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
    from .selectors import overdue_actions

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


# ---------------------------------------------------------------------------------------------
# Engagement and quotes


@transaction.atomic
def engagement_save(
    *,
    audit: Audit,
    cyp_shared: int,
    cyp_responses: int,
    parent_shared: int,
    parent_responses: int,
    actor: User,
    notes: str = "",
) -> Engagement:
    """Create or replace the audit's survey figures."""
    values = {
        "cyp_shared": cyp_shared,
        "cyp_responses": cyp_responses,
        "parent_shared": parent_shared,
        "parent_responses": parent_responses,
    }
    errors = {}
    for field, value in values.items():
        if value is None:
            errors[field] = "Enter a number (0 if none)."
        elif value < 0:
            errors[field] = "Enter 0 or more: a count cannot be negative."
    if not errors:
        if cyp_responses > cyp_shared:
            errors["cyp_responses"] = (
                f"There cannot be more responses ({cyp_responses}) than surveys shared "
                f"with children and young people ({cyp_shared})."
            )
        if parent_responses > parent_shared:
            errors["parent_responses"] = (
                f"There cannot be more responses ({parent_responses}) than surveys shared "
                f"with parents and carers ({parent_shared})."
            )
    if errors:
        raise ValidationError(errors)
    engagement = Engagement.objects.filter(audit=audit).first() or Engagement(audit=audit)
    for field, value in values.items():
        setattr(engagement, field, value)
    engagement.notes = (notes or "").strip()
    engagement.full_clean()
    engagement.save()
    audit_log(actor=actor, code="engagement.saved", target=engagement, changes=values)
    return engagement


def _clean_quote(quote: Quote) -> None:
    quote.text = (quote.text or "").strip()
    quote.source_label = (quote.source_label or "").strip()
    errors = {}
    if not quote.text:
        errors["text"] = "Enter the quote."
    elif len(quote.text) > QUOTE_LIMIT:
        errors["text"] = (
            f"A quote can be at most {QUOTE_LIMIT} characters (this one has "
            f"{len(quote.text)}): shorten it."
        )
    if not quote.source_label:
        errors["source_label"] = 'Say who said it, e.g. "young person, deep dive".'
    if errors:
        raise ValidationError(errors)
    quote.full_clean()


@transaction.atomic
def quote_create(
    *, audit: Audit, text: str, source_label: str, consent: bool, actor: User
) -> Quote:
    last = Quote.objects.filter(audit=audit).aggregate(m=Max("order"))["m"] or 0
    quote = Quote(
        audit=audit, text=text, source_label=source_label, consent=consent, order=last + 1
    )
    _clean_quote(quote)
    quote.save()
    audit_log(
        actor=actor,
        code="quote.created",
        target=quote,
        changes={"audit": audit.pk, "consent": consent},
    )
    return quote


@transaction.atomic
def quote_update(
    *, quote: Quote, text: str, source_label: str, consent: bool, actor: User
) -> Quote:
    quote.text = text
    quote.source_label = source_label
    quote.consent = consent
    _clean_quote(quote)
    quote.save(update_fields=["text", "source_label", "consent"])
    audit_log(actor=actor, code="quote.updated", target=quote, changes={"consent": consent})
    return quote


@transaction.atomic
def quote_delete(*, quote: Quote, actor: User) -> None:
    audit_log(actor=actor, code="quote.deleted", target=quote, changes={"audit": quote.audit_id})
    quote.delete()


@transaction.atomic
def quote_move(*, quote: Quote, direction: str, actor: User) -> Quote:
    if direction not in {"up", "down"}:
        raise ValidationError("Move a quote up or down.")
    quotes = list(
        Quote.objects.select_for_update().filter(audit=quote.audit_id).order_by("order", "pk")
    )
    index = next(i for i, q in enumerate(quotes) if q.pk == quote.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(quotes):
        return quote
    quotes[index], quotes[other] = quotes[other], quotes[index]
    for position, item in enumerate(quotes, start=1):
        item.order = position
    Quote.objects.bulk_update(quotes, ["order"])
    audit_log(actor=actor, code="quote.moved", target=quote, changes={"direction": direction})
    quote.refresh_from_db(fields=["order"])
    return quote


# ---------------------------------------------------------------------------------------------
# Resources

_http_only = URLValidator(schemes=["http", "https"])


def _clean_resource(resource: Resource) -> None:
    resource.title = (resource.title or "").strip()
    resource.url = (resource.url or "").strip()
    errors = {}
    if not resource.title:
        errors["title"] = "Give the resource a title."
    try:
        _http_only(resource.url)
    except ValidationError:
        errors["url"] = (
            "Enter a full web address starting with https:// or http:// "
            "(other kinds of link are not allowed)."
        )
    if resource.kind not in Resource.Kind.values:
        errors["kind"] = "Choose training, toolkit or guidance."
    if errors:
        raise ValidationError(errors)
    resource.full_clean()


@transaction.atomic
def resource_create(
    *, title: str, url: str, kind: str, actor: User, description: str = "", active: bool = True
) -> Resource:
    resource = Resource(
        title=title, url=url, kind=kind, description=(description or "").strip(), active=active
    )
    _clean_resource(resource)
    resource.save()
    audit_log(actor=actor, code="resource.created", target=resource)
    return resource


@transaction.atomic
def resource_update(
    *,
    resource: Resource,
    title: str,
    url: str,
    kind: str,
    actor: User,
    description: str = "",
    active: bool = True,
) -> Resource:
    resource.title = title
    resource.url = url
    resource.kind = kind
    resource.description = (description or "").strip()
    resource.active = active
    _clean_resource(resource)
    resource.save(update_fields=["title", "url", "kind", "description", "active"])
    audit_log(actor=actor, code="resource.updated", target=resource)
    return resource


@transaction.atomic
def resource_set_active(*, resource: Resource, active: bool, actor: User) -> Resource:
    resource.active = active
    resource.save(update_fields=["active"])
    audit_log(
        actor=actor,
        code="resource.reinstated" if active else "resource.retired",
        target=resource,
    )
    return resource
