"""The smoke test's checks of background work: a task left waiting in the outbox handed to the
worker by compose's relay, and e-mail run by the mail worker only (queues by urgency)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Protocol

from tests.production.harness import check, say, wait_until


class Smoke(Protocol):
    """What these checks use of the smoke run (tests/production/smoke.py)."""

    processes: Any

    def manage_shell(self, code: str) -> str: ...

    def log(self, name: str) -> Path: ...


def check_relay(smoke: Smoke) -> None:
    """A task the web process could not hand over (Redis away at its commit) waits in the
    outbox, already tried once; the relay process hands it to the worker."""
    waiting = smoke.manage_shell(
        "from django.utils import timezone; from auditportal.models import OutboxMessage; "
        "print(OutboxMessage.objects.create(task='auditportal.ping', ref='smoke', "
        "attempts=1, next_attempt_at=timezone.now()).pk)"
    )
    check(waiting.isdigit(), f"no outbox message made: {waiting!r}")
    wait_until(
        "the relay hands the waiting task to the queue",
        lambda: (
            smoke.manage_shell(
                "from auditportal.models import OutboxMessage; "
                f"print(OutboxMessage.objects.get(pk={waiting}).status)"
            )
            == "sent"
        ),
        timeout=60,
        every=1,
        processes=smoke.processes,
    )
    wait_until(
        "the worker runs the task the relay handed over",
        lambda: re.search(r"auditportal\.ping\[[^]]+\] succeeded", smoke.log("worker").read_text()),
        timeout=60,
        processes=smoke.processes,
    )
    say("outbox: a waiting task handed to the queue by the relay and run by the worker")


def check_queues(smoke: Smoke) -> None:
    """E-mail goes to the mail worker, never to the one that renders: the business team's
    overdue summary (an e-mail task) enqueued through the outbox runs in mail-worker."""
    smoke.manage_shell(
        "from django.db import transaction; from auditportal import outbox; "
        "transaction.atomic()(lambda: outbox.enqueue('audits.send_overdue_summary', "
        "ref='smoke-mail'))()"
    )
    summary = r"audits\.send_overdue_summary\[[^]]+\] succeeded"
    wait_until(
        "the mail worker runs the e-mail task",
        lambda: re.search(summary, smoke.log("mail-worker").read_text()),
        timeout=60,
        processes=smoke.processes,
    )
    check(
        not re.search(r"audits\.send_overdue_summary\[", smoke.log("worker").read_text()),
        "the render worker took an e-mail task",
    )
    say("queues: an e-mail task ran in mail-worker, not in the render worker")
