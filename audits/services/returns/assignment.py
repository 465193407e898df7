"""Returns made when an audit opens, each given to its agency's lead, and reassigned."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from auditportal.auditlog import audit_log
from audits.models import Audit, Return
from audits.rules import may_manage_agency_returns
from cases.models import CaseAgency, Membership

from .common import _enqueue


def _default_assignees(agency_ids: set[int]) -> dict[int, int]:
    """agency id -> the practitioner who gets its new returns: the lead, else the first member."""
    chosen: dict[int, int] = {}
    memberships = (
        Membership.objects.filter(
            agency_id__in=agency_ids, user__role=User.Role.PRACTITIONER, user__is_active=True
        )
        .order_by("-is_lead", "pk")
        .values_list("agency_id", "user_id")
    )
    for agency_id, user_id in memberships:
        chosen.setdefault(agency_id, user_id)
    return chosen


@transaction.atomic
def returns_create_for_audit(*, audit: Audit) -> list[Return]:
    """One return per case × involved agency, each assigned to the agency's lead (or its first
    member; unassigned when it has none); called by audit_open. Safe to call twice. After the
    commit every assignee is e-mailed that the audit opened."""
    existing = set(audit.returns.values_list("case_id", "agency_id"))
    involvements = [
        pair
        for pair in CaseAgency.objects.filter(samples__audit=audit).values_list(
            "case_id", "agency_id"
        )
        if pair not in existing
    ]
    assignees = _default_assignees({agency_id for _, agency_id in involvements})
    new = [
        Return(
            audit=audit, case_id=case_id, agency_id=agency_id, assignee_id=assignees.get(agency_id)
        )
        for case_id, agency_id in involvements
    ]
    created = Return.objects.bulk_create(new)
    if created:
        audit_log(
            actor=None,
            code="audit.returns_created",
            target=audit,
            changes={"returns": len(created), "assigned": sum(1 for r in new if r.assignee_id)},
        )
        _enqueue("notify_audit_opened", about=audit, audit_id=audit.pk)
    return created


@transaction.atomic
def return_reassign(*, audit_return: Return, actor: User, assignee: User) -> Return:
    """The business team or the agency's lead gives the return to another member of the agency."""
    from audits.selectors import agency_members

    if not may_manage_agency_returns.test(actor, audit_return):
        raise PermissionDenied
    if not agency_members(audit_return.agency_id).filter(pk=assignee.pk).exists():
        raise ValidationError(f"{assignee} is not a practitioner of {audit_return.agency}.")
    if audit_return.audit.status != Audit.Status.OPEN:
        raise ValidationError("Returns can be reassigned only while the audit is open.")
    if audit_return.assignee_id == assignee.pk:
        return audit_return
    previous = audit_return.assignee_id
    audit_return.assignee = assignee
    audit_return.save(update_fields=["assignee", "updated_at"])
    event = audit_log(
        actor=actor,
        code="return.reassigned",
        target=audit_return,
        changes={"assignee": [previous, assignee.pk]},
    )
    _enqueue(
        "notify_return_assigned", about=audit_return, return_id=audit_return.pk, event_id=event.pk
    )
    return audit_return
