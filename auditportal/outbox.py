"""The one way to enqueue background work: a transactional outbox.

`enqueue` writes the intent (an OutboxMessage) in the caller's transaction, so a change and the
e-mail or render it needs commit together or not at all. After the commit the message is handed
to Celery at once; if Redis does not answer, the message waits and the relay
(`manage.py relay_outbox`, one small process beside the worker) hands it over as soon as Redis
answers again. A write therefore never fails after it was saved, and nothing is dropped.

Without Redis (the embedded demo, the test suite) Celery runs tasks in-process: the message is
run right after the commit, in the same process.

The relay also runs the registered sweeps (`register_sweep`), so work that must be picked up
again (a render whose worker died) does not depend on Celery beat alone.
"""

import datetime
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .celery import app as celery_app
from .models import OutboxMessage
from .tenant_tasks import with_partnership

logger = logging.getLogger(__name__)

# The relay waits this long (seconds) before trying a message again, doubling from 1.
RETRY_MAX_SECONDS = 15
# After the queue failed to answer, requests leave their messages to the relay for this long
# (seconds) instead of each trying, and failing, again.
PAUSE_AFTER_FAILURE = 5.0
BATCH = 200

_queue_down_until = 0.0  # time.monotonic() until which this process does not try the queue
_sweeps: list[Callable[[], object]] = []


@dataclass
class RelayResult:
    sent: int = 0
    waiting: int = 0
    error: str = ""


def ref_for(obj) -> str:
    """The ref of a model instance: "briefings.briefingversion:42"."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def enqueue(
    task: str, *, kwargs: dict | None = None, ref: str = "", countdown: int = 0
) -> OutboxMessage:
    """Record that `task` must run with `kwargs` once the current transaction commits.

    Call it inside the service's transaction. `ref` names what the task is about, for pages
    that say a job waits for the queue; `countdown` delays the run (seconds)."""
    now = timezone.now()
    message = OutboxMessage.objects.create(
        task=task,
        # The partnership the caller runs for goes with the task (auditportal/tenant_tasks.py).
        kwargs=with_partnership(kwargs),
        ref=ref[:100],
        eta=now + datetime.timedelta(seconds=countdown) if countdown else None,
        next_attempt_at=now,
    )
    transaction.on_commit(partial(relay, ids=[message.pk]), robust=True)
    return message


def register_sweep(sweep: Callable[[], object]) -> None:
    """A function the relay runs every SWEEP_SECONDS (apps register theirs in ready())."""
    if sweep not in _sweeps:
        _sweeps.append(sweep)


def run_sweeps() -> None:
    for sweep in list(_sweeps):
        try:
            sweep()
        except Exception:
            logger.exception("sweep %s failed", getattr(sweep, "__name__", sweep))


def runs_in_process() -> bool:
    return bool(celery_app.conf.task_always_eager)


def is_waiting(ref: str) -> bool:
    """True if a message about `ref` could not be handed to the queue yet."""
    return OutboxMessage.objects.filter(
        ref=ref, status=OutboxMessage.Status.PENDING, attempts__gt=0
    ).exists()


def waiting_refs(refs: Iterable[str]) -> set[str]:
    return set(
        OutboxMessage.objects.filter(
            ref__in=list(refs), status=OutboxMessage.Status.PENDING, attempts__gt=0
        ).values_list("ref", flat=True)
    )


def _due(ids: list[int] | None, now: datetime.datetime):
    due = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now
    ).order_by("pk")
    if ids is not None:
        due = due.filter(pk__in=ids)
    return due


def _task(name: str):
    try:
        return celery_app.tasks[name]
    except KeyError:
        celery_app.loader.import_default_modules()  # the apps' tasks modules
        return celery_app.tasks[name]


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:200]


def _retry_delay(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(RETRY_MAX_SECONDS, 2 ** min(max(attempts - 1, 0), 5)))


def _mark_waiting(ids: list[int], now: datetime.datetime, error: str) -> None:
    """The queue did not answer: try these again after a back-off."""
    for message in OutboxMessage.objects.filter(pk__in=ids):
        attempts = message.attempts + 1
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=F("attempts") + 1,
            next_attempt_at=now + _retry_delay(attempts),
            last_error=error[:200],
        )


def _run_in_process(ids: list[int] | None, limit: int) -> RelayResult:
    result = RelayResult()
    for message in list(_due(ids, timezone.now())[:limit]):
        claimed = OutboxMessage.objects.filter(
            pk=message.pk, status=OutboxMessage.Status.PENDING
        ).update(status=OutboxMessage.Status.SENT, sent_at=timezone.now())
        if not claimed:
            continue
        try:
            _task(message.task).apply(kwargs=message.kwargs, throw=True)
        except Exception:
            # The task owns its retries; a failure here must not undo the caller's request.
            logger.exception("task %s (outbox %s) failed in-process", message.task, message.pk)
        result.sent += 1
    return result


def relay(*, ids: list[int] | None = None, limit: int = BATCH) -> RelayResult:
    """Hand pending messages (all that are due, or just `ids`) to the queue. Stops at the first
    failure: the queue is away, the rest wait with it."""
    global _queue_down_until
    if runs_in_process():
        return _run_in_process(ids, limit)
    now = timezone.now()
    if ids is not None and time.monotonic() < _queue_down_until:
        _mark_waiting(ids, now, "The queue did not answer a moment ago.")
        return RelayResult(waiting=len(ids))
    result = RelayResult()
    with transaction.atomic():
        messages = list(_due(ids, now).select_for_update(skip_locked=True)[:limit])
        for index, message in enumerate(messages):
            try:
                celery_app.send_task(
                    message.task,
                    kwargs=message.kwargs,
                    eta=message.eta if message.eta and message.eta > now else None,
                    retry=False,
                    ignore_result=True,
                )
            except Exception as exc:
                result.error = _short(exc)
                rest = [m.pk for m in messages[index:]]
                _mark_waiting(rest, now, result.error)
                result.waiting = len(rest)
                _queue_down_until = time.monotonic() + PAUSE_AFTER_FAILURE
                logger.warning("queue unreachable, %s task(s) wait: %s", len(rest), result.error)
                break
            OutboxMessage.objects.filter(pk=message.pk).update(
                status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error=""
            )
            result.sent += 1
    if result.sent and not result.error:
        _queue_down_until = 0.0
    return result
