"""Alerts during a render burst, a step of `make bench` (docs/benchmarks.md): how long an
immediate-concern alert whose first try failed waits for its retry task while 50 briefing PDFs
are queued, with one queue for everything (as before) against the mail queue and its own
worker (as deployed). Writes bench/results/alerts.json.

Raising a concern e-mails at once from the web process; only when that first try fails (the
mail server did not answer) does the alert wait for `audits.deliver_concern_alerts` in a
worker. This step makes the first try fail (this process's mail server is a closed port; the
workers' mail backend keeps mail in memory), floods 50 renders, raises a concern and measures
raised -> every alert handed to the workers' mail backend (ConcernAlert.sent_at). The two
shapes run interleaved, BENCH_ALERT_REPEATS (3) times each, on the database with the demo
data and the Redis of BENCH_LOAD_REDIS_URL (database 15, flushed before, between and after).

- one queue: every task on the default queue (routes switched off in this process, the old
  behaviour), one worker (`bin/start-worker all`, 2 processes) taking everything;
- by urgency: `bin/start-worker default` (2 processes) for renders and `bin/start-worker mail`
  (1 process) for e-mail, as compose runs them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    ROOT,
    flush_redis,
    free_port,
    machine,
    setup_django,
    stop_processes,
    write_result,
)

RENDERS = 50
SHAPES = {
    "one queue": [("all", "2")],
    "by urgency": [("default", "2"), ("mail", "1")],
}


def start_workers(shape: str, *, env: dict, logs: Path) -> list[subprocess.Popen]:
    processes = []
    for role, concurrency in SHAPES[shape]:
        log = logs / f"{shape.replace(' ', '-')}-{role}.log"
        handle = open(log, "ab")  # noqa: SIM115 - the child holds it
        processes.append(
            subprocess.Popen(
                ["bin/start-worker", role],
                cwd=ROOT,
                env={**env, "CELERY_CONCURRENCY": concurrency, "CELERY_LOG_LEVEL": "INFO"},
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
        )
        deadline = time.monotonic() + 90
        while " ready." not in log.read_text(errors="replace"):
            if time.monotonic() > deadline or processes[-1].poll() is not None:
                raise SystemExit(f"worker {role} did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.2)
    return processes


def one_run(shape: str, *, briefing, business, audit_return, practitioner) -> dict:
    from audits.models import ConcernAlert
    from audits.services.returns import concern_raise
    from briefings.models import BriefingVersion
    from briefings.services import briefing_render

    versions = [briefing_render(briefing=briefing, actor=business).pk for _ in range(RENDERS)]
    started = time.time()
    concern = concern_raise(
        audit_return=audit_return,
        actor=practitioner,
        description="Benchmark: a child may be at risk now.",
    )
    alerts = ConcernAlert.objects.filter(concern=concern)
    deadline = time.monotonic() + 300
    while alerts.filter(status=ConcernAlert.Status.PENDING).exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"{shape}: alerts not sent within 300 s")
        time.sleep(0.05)
    delivered = alerts.filter(status=ConcernAlert.Status.SENT)
    if not delivered:
        raise SystemExit(f"{shape}: no alert was delivered")
    sent = max(alert.sent_at for alert in delivered)
    first_tries = list(delivered.values_list("attempts", flat=True))
    still_queued = BriefingVersion.objects.filter(
        pk__in=versions, status=BriefingVersion.Status.QUEUED
    ).count()
    return {
        "seconds": round(sent.timestamp() - started, 3),
        "alerts": len(first_tries),
        "attempts": first_tries,
        "renders_still_queued_when_sent": still_queued,
    }


def routes_off() -> None:
    """The old behaviour in this process: no routes, so e-mail tasks join the default queue."""
    from auditportal.celery import app

    app.conf.task_routes = ()
    app.amqp.__dict__.pop("router", None)
    app.amqp.flush_routes()


def routes_on() -> None:
    from django.conf import settings

    from auditportal.celery import app

    app.conf.task_routes = settings.CELERY_TASK_ROUTES
    app.amqp.__dict__.pop("router", None)
    app.amqp.flush_routes()


def _runs(repeats, runs, worker_env, logs, redis_url, briefing, business, audit_return) -> None:
    """Each shape `repeats` times, interleaved, into `runs`."""
    practitioner = audit_return.assignee
    for repeat in range(repeats):
        for shape in SHAPES:
            (routes_off if shape == "one queue" else routes_on)()
            processes = start_workers(shape, env=worker_env, logs=logs)
            try:
                row = one_run(
                    shape,
                    briefing=briefing,
                    business=business,
                    audit_return=audit_return,
                    practitioner=practitioner,
                )
            finally:
                stop_processes(processes)
                flush_redis(redis_url)
            runs[shape].append(row)
            print(
                f"alerts, {shape}, run {repeat + 1}: {row['seconds']} s "
                f"({row['renders_still_queued_when_sent']} of {RENDERS} renders still queued)",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--repeats", type=int, default=int(os.environ.get("BENCH_ALERT_REPEATS", "3"))
    )
    args = parser.parse_args()
    redis_url = os.environ.get("BENCH_LOAD_REDIS_URL", "redis://127.0.0.1:6379/15")
    queue = f"bench-alerts-{uuid.uuid4().hex[:6]}"
    # This process: Redis as deployed, and a mail server that does not answer, so each
    # alert's first (in-process) try fails and the alert waits for its task.
    os.environ.update(
        REDIS_URL=redis_url,
        CELERY_QUEUE=queue,
        EMAIL_BACKEND="smtp",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(free_port()),
    )
    flush_redis(redis_url)
    setup_django()
    from accounts.models import User
    from audits.models import Return
    from briefings.models import Briefing

    briefing = Briefing.objects.order_by("pk").first()
    business = User.objects.filter(role=User.Role.BUSINESS, is_active=True).order_by("pk").first()
    audit_return = Return.objects.filter(assignee__isnull=False).order_by("pk").first()
    if not (briefing and business and audit_return):
        raise SystemExit("needs the demo data (manage.py load_demo)")
    worker_env = {
        **os.environ,
        "EMAIL_BACKEND": "locmem",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    logs = ROOT / "bench" / "results" / "alerts-logs"
    logs.mkdir(parents=True, exist_ok=True)
    runs: dict[str, list[dict]] = {shape: [] for shape in SHAPES}
    # The concern is raised and the renders queued as the demo partnership's own requests
    # would: inside its context (the tasks carry it to the workers).
    from auditportal.tenancy import partnership_context

    with partnership_context(briefing.partnership_id):
        _runs(args.repeats, runs, worker_env, logs, redis_url, briefing, business, audit_return)
    result = {
        "machine": machine(),
        "renders": RENDERS,
        "repeats": args.repeats,
        "target_seconds": 2.0,
        "runs": runs,
        "median_seconds": {
            shape: statistics.median(r["seconds"] for r in rows) for shape, rows in runs.items()
        },
    }
    result["ratio_one_queue_to_by_urgency"] = round(
        result["median_seconds"]["one queue"] / max(result["median_seconds"]["by urgency"], 1e-3),
        1,
    )
    write_result("alerts", result)
    print(f"alerts median seconds: {result['median_seconds']}", flush=True)


if __name__ == "__main__":
    main()
