"""Writes for sub-groups, the owners of actions."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from auditportal.auditlog import audit_log

from ..models import SubGroup

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
