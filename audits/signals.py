"""Signals the audit layer sends for higher layers to answer (they import this; it imports
none of them). The purge's own signal, `audit_purging`, lives with the purge
(audits/retention.py)."""

from django.dispatch import Signal

# Sent inside the transaction of every status change (audits.services: audit_transition,
# audit_agree_findings, audit_publish) with `audit`, `from_status` and `to_status`. A higher
# layer that keeps figures of audits in some statuses (findings: the benchmarking shares of
# published and closed audits) refreshes them; the audit layer asks nothing back.
audit_status_changed = Signal()
