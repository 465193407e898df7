"""The hosting administration's changes to a partnership after it was created
(cases.onboarding creates it): its name, its host names, and whether it is active.

Every change is a service: it runs in a transaction on the partnership's row locked, checks
what it would break (an active partnership keeps at least one host name, so it stays
reachable), writes the audit trail (the hosting administration's own events: no
partnership) and drops this process's host map when committed (cases.hosts; other processes
see the change within HOST_MAP_SECONDS).

A deactivated partnership's addresses answer 404 (cases.middleware asks
cases.hosts.partnership_for_host) and its queued and periodic tasks stop
(auditportal.tenant_tasks); nothing of it is deleted, and reactivating it brings it back as
it was.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.rules import is_hosting_admin
from auditportal.auditlog import audit_log
from auditportal.models import AuditEvent
from auditportal.text import one_line
from auditportal.trail_registry import event_kind

from . import hosts
from .models import Partnership, PartnershipHost
from .onboarding import clean_host

REASON_MAX = 500
LAST_HOST = (
    "This is the partnership's last host name: without one, nobody could reach it. "
    "Add another host name first, or deactivate the partnership."
)
NO_HOST_TO_REACTIVATE = (
    "The partnership has no host name: add one before reactivating it, or nobody could reach it."
)

HOSTING_EVENTS = (
    "partnership.created",
    "partnership.renamed",
    "partnership.host_added",
    "partnership.host_removed",
    "partnership.deactivated",
    "partnership.reactivated",
)


# Reads ------------------------------------------------------------------------------------


def partnership_for_hosting(pk: int) -> Partnership | None:
    """Any partnership, active or not, by id (the hosting administration sees every one)."""
    return Partnership.objects.filter(pk=pk).first()


@dataclass(frozen=True)
class HostingChange:
    at: datetime.datetime
    who: str
    what: str  # the trail's words: "Deactivated a partnership"
    detail: str  # "Reason: …", "old name → new name", the host name


def _detail(event: AuditEvent) -> str:
    changes = event.changes or {}
    if "reason" in changes:
        return f"Reason: {changes['reason']}"
    if isinstance(changes.get("name"), list):
        return " → ".join(str(name) for name in changes["name"])
    return str(changes.get("host", ""))


def partnership_history(partnership: Partnership, *, limit: int = 20) -> list[HostingChange]:
    """The hosting administration's changes to this partnership, newest first (its own
    events carry no partnership, so a hosting request reads them and no partnership's)."""
    events = AuditEvent.objects.filter(
        partnership=None,
        target_type=Partnership._meta.label_lower,
        target_id=str(partnership.pk),
        code__in=HOSTING_EVENTS,
    ).order_by("-at", "-pk")[:limit]
    return [
        HostingChange(event.at, event.actor_label, event_kind(event.code).label, _detail(event))
        for event in events
    ]


# Writes -----------------------------------------------------------------------------------


def _guard(actor: User) -> None:
    if not is_hosting_admin.test(actor):
        raise PermissionDenied


def _locked(partnership: Partnership) -> Partnership:
    return Partnership.objects.select_for_update().get(pk=partnership.pk)


def _forget_hosts_on_commit() -> None:
    # The signals drop the map at save or delete; once more after the commit, so a request
    # of this process that reloaded it in between does not keep the old map for 30 seconds.
    transaction.on_commit(hosts.forget)


@transaction.atomic
def partnership_rename(*, actor: User, partnership: Partnership, name: str) -> Partnership:
    """The name on every page, e-mail, briefing and PDF of the partnership."""
    _guard(actor)
    locked = _locked(partnership)
    old = locked.name
    locked.name = name.strip()
    # The name as at creation (cases.onboarding): required, one line, 120 characters.
    locked.full_clean(exclude=[f.name for f in Partnership._meta.fields if f.name != "name"])
    if locked.name == old:
        return locked
    locked.save(update_fields=["name"])
    audit_log(
        actor=actor,
        code="partnership.renamed",
        target=locked,
        changes={"name": [old, locked.name]},
    )
    _forget_hosts_on_commit()
    partnership.refresh_from_db()
    return locked


@transaction.atomic
def partnership_host_add(*, actor: User, partnership: Partnership, host: str) -> PartnershipHost:
    """Another address the partnership answers on (its DNS name must point here). Validated
    as at creation: a host name, not the hosting administration's, used by no partnership."""
    _guard(actor)
    locked = _locked(partnership)
    if PartnershipHost.objects.filter(
        partnership=locked, host=hosts.host_name(host.strip())
    ).exists():
        raise ValidationError({"host": "The partnership already answers on this host name."})
    name = clean_host(host)
    added = PartnershipHost(host=name, partnership=locked)
    added.full_clean()
    try:
        with transaction.atomic():
            added.save()
    except IntegrityError as taken:  # another partnership took it since the check
        raise ValidationError({"host": "Another partnership answers on this host name."}) from taken
    audit_log(actor=actor, code="partnership.host_added", target=locked, changes={"host": name})
    _forget_hosts_on_commit()
    return added


@transaction.atomic
def partnership_host_remove(*, actor: User, partnership: Partnership, host: str) -> None:
    """The partnership stops answering on this host name. An active partnership keeps at
    least one: removing its last would make it unreachable."""
    _guard(actor)
    locked = _locked(partnership)
    name = hosts.host_name(host.strip())
    row = PartnershipHost.objects.filter(partnership=locked, host=name).first()
    if row is None:
        raise ValidationError({"host": "The partnership does not answer on this host name."})
    if (
        locked.active
        and not PartnershipHost.objects.filter(partnership=locked).exclude(pk=row.pk).exists()
    ):
        raise ValidationError({"host": LAST_HOST})
    row.delete()
    audit_log(actor=actor, code="partnership.host_removed", target=locked, changes={"host": name})
    _forget_hosts_on_commit()


@transaction.atomic
def partnership_deactivate(*, actor: User, partnership: Partnership, reason: str) -> Partnership:
    """Its addresses answer 404 and its tasks stop; nothing is deleted. The reason is kept
    in the audit trail."""
    _guard(actor)
    locked = _locked(partnership)
    reason = one_line(reason)
    if not reason:
        raise ValidationError({"reason": "Say why the partnership is being deactivated."})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason to {REASON_MAX} characters."})
    if not locked.active:
        raise ValidationError("The partnership is already deactivated.")
    locked.active = False
    locked.save(update_fields=["active"])
    audit_log(
        actor=actor,
        code="partnership.deactivated",
        target=locked,
        changes={"active": [True, False], "reason": reason},
    )
    _forget_hosts_on_commit()
    partnership.refresh_from_db()
    return locked


@transaction.atomic
def partnership_reactivate(*, actor: User, partnership: Partnership) -> Partnership:
    """Its addresses answer again and its tasks run again, as before it was deactivated."""
    _guard(actor)
    locked = _locked(partnership)
    if locked.active:
        raise ValidationError("The partnership is already active.")
    if not PartnershipHost.objects.filter(partnership=locked).exists():
        raise ValidationError(NO_HOST_TO_REACTIVATE)
    locked.active = True
    locked.save(update_fields=["active"])
    audit_log(
        actor=actor,
        code="partnership.reactivated",
        target=locked,
        changes={"active": [False, True]},
    )
    _forget_hosts_on_commit()
    partnership.refresh_from_db()
    return locked
