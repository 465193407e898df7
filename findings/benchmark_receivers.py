"""What keeps the benchmarking shares fresh (findings.benchmark_models.BenchmarkShare):
the lower layers say what changed, by signal, and the findings layer refreshes the
partnership's shares once that change has committed (connected in FindingsConfig.ready).

- an audit moves into or out of published/closed (audits.signals.audit_status_changed:
  publishing a briefing, closing an audit);
- an audit is purged (audits.retention.audit_purging);
- a partnership is saved (cases.Partnership: opting in or out of benchmarking).

Answers of a published or closed audit do not change (returns are answered and sent back
only while the audit is open), and the moderated grade is not what a benchmark counts, so
nothing else needs a refresh. The nightly task (findings.refresh_benchmark_shares) is the
safety net for anything changed outside the services."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from audits import signals
from audits.models import Audit
from audits.retention import audit_purging as purging
from cases.models import Partnership

from .results import BOARD_STATUSES


def refresh_after_commit(partnership_id: int | None) -> None:
    """Refresh the partnership's shares once the current transaction commits. A failure is
    logged, never raised: the change it follows is saved, and the nightly run catches up."""
    if partnership_id is None:
        return

    def refresh() -> None:
        from .services import benchmark_shares_refresh

        benchmark_shares_refresh(partnership_id=partnership_id)

    transaction.on_commit(refresh, robust=True)


def audit_status_changed(*, audit: Audit, from_status: str, to_status: str, **_: Any) -> None:
    if from_status in BOARD_STATUSES or to_status in BOARD_STATUSES:
        refresh_after_commit(audit.partnership_id)


def audit_purging(*, audit: Audit, **_: Any) -> None:
    refresh_after_commit(audit.partnership_id)


# What a partnership's shares depend on: whether it shares at all (its threshold is applied
# when the median is read, so a new threshold needs no refresh).
SHARING_FIELDS = frozenset({"benchmarking_opt_in", "active"})


def partnership_saved(
    *,
    instance: Partnership,
    created: bool,
    raw: bool,
    update_fields: frozenset[str] | None = None,
    **_: Any,
) -> None:
    if raw or (created and not instance.benchmarking_opt_in):
        return
    if update_fields is not None and not SHARING_FIELDS & update_fields:
        return  # a rename, a host's change, a setting the shares do not depend on
    refresh_after_commit(instance.pk)


def connect() -> None:
    signals.audit_status_changed.connect(
        audit_status_changed, sender=Audit, dispatch_uid="findings.benchmarks.status"
    )
    purging.connect(audit_purging, sender=Audit, dispatch_uid="findings.benchmarks.purge")
    post_save.connect(
        partnership_saved, sender=Partnership, dispatch_uid="findings.benchmarks.partnership"
    )
