"""Load: Locust (headless, bounded, loopback only) against gunicorn + PostgreSQL.

    .venv/bin/python bench/load.py --label 100x            (bench/run.py sets DATABASE_URL)

50 practitioners autosave and submit returns while 10 business users browse; then every
acknowledged save is checked against the database. Writes bench/results/load.json.
Environment: BENCH_LOAD_PRACTITIONERS (50), BENCH_LOAD_BUSINESS (10), BENCH_LOAD_SECONDS (120),
BENCH_LOAD_SPAWN_RATE (2 a second), BENCH_WAIT_MIN/MAX (think time, 10 to 30 s: returns.js autosaves
3 s after the last change and an auditor reads the case file between answers; 3/10 is the
stress setting quoted in docs/benchmarks.md),
BENCH_GUNICORN_WORKERS (3), BENCH_LOAD_REDIS_URL (redis://127.0.0.1:6379/15: the app runs as
deployed, with Redis as its cache and Celery broker and one Celery worker taking the tasks; the
database is flushed before and after. Empty, or Redis not answering: no Redis, so a cache per
gunicorn worker and tasks run inside the request, as `make run` does), BENCH_LOAD_WORKERS (solo:
one Celery worker, one process, taking every queue; compose: the two workers of
docker-compose.yml, `bin/start-worker default` and `bin/start-worker mail`, as the ramp runs).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_ENV, ROOT, machine, setup_django, write_result

PORT = int(os.environ.get("BENCH_PORT", "8765"))
HOST = f"http://127.0.0.1:{PORT}"
BIN = Path(sys.executable).parent


def build_spec(practitioners: int, business: int) -> dict:
    """Sessions (signed in as the test client does), CSRF secret, and for each simulated
    practitioner a disjoint queue of editable returns of their own agency."""
    from django.conf import settings
    from django.db.models import Count, Q
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from audits.models import Audit, QuestionSetItem, Return
    from cases.models import PartnershipHost

    # Each user's requests go to their own partnership's first host name (p007.bench.localhost):
    # the load runs across as many tenants as its users belong to.
    host_of: dict[int, str] = {}
    for row in PartnershipHost.objects.order_by("pk"):
        host_of.setdefault(row.partnership_id, row.host)

    editable = Q(
        assigned_returns__audit__status=Audit.Status.OPEN,
        assigned_returns__status__in=[
            Return.Status.NOT_STARTED,
            Return.Status.IN_PROGRESS,
            Return.Status.RETURNED,
        ],
    )
    candidates = list(
        User.objects.filter(role=User.Role.PRACTITIONER, is_active=True)
        .annotate(n=Count("assigned_returns", filter=editable))
        .filter(n__gte=2)
        .order_by("-n", "pk")[:practitioners]
    )
    items_cache: dict[int, list[dict]] = {}

    def items_for(question_set_id: int) -> list[dict]:
        if question_set_id not in items_cache:
            items_cache[question_set_id] = [
                {"id": i.pk, "kind": i.kind, "options": list(i.options or [])}
                for i in QuestionSetItem.objects.filter(question_set_id=question_set_id).order_by(
                    "order", "pk"
                )
            ]
        return items_cache[question_set_id]

    def session_for(user: User) -> str:
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    spec_practitioners = []
    for user in candidates:
        returns = (
            Return.objects.filter(
                assignee=user,
                audit__status=Audit.Status.OPEN,
                status__in=[
                    Return.Status.NOT_STARTED,
                    Return.Status.IN_PROGRESS,
                    Return.Status.RETURNED,
                ],
            )
            .select_related("audit")
            .order_by("pk")[:10]
        )
        spec_practitioners.append(
            {
                "username": user.username,
                "host": host_of[user.partnership_id],
                "session": session_for(user),
                "returns": [
                    {
                        "id": r.pk,
                        "version": r.version,
                        "items": items_for(r.audit.question_set_id),
                        "detail_url": reverse("audits:return-detail", args=[r.pk]),
                        "autosave_url": reverse("audits:return-autosave", args=[r.pk]),
                        "submit_url": reverse("audits:return-submit", args=[r.pk]),
                    }
                    for r in returns
                ],
            }
        )

    spec_business = []
    for p in range(1, business + 1):
        user = User.objects.filter(username=f"p{p:03d}-business0").first()
        if user is None:
            break
        audits = Audit.objects.filter(title__startswith=f"P{p:03d} ")
        open_audit = audits.filter(status=Audit.Status.OPEN).order_by("pk").first()
        done_audit = audits.filter(status=Audit.Status.PUBLISHED).order_by("pk").first()
        spec_business.append(
            {
                "username": user.username,
                "host": host_of[user.partnership_id],
                "session": session_for(user),
                "programme_url": reverse("audits:programme"),
                "progress_url": reverse("audits:progress", args=[open_audit.pk]),
                "results_url": reverse("findings:results", args=[done_audit.pk]),
                "actions_url": reverse("findings:action-tracker"),
                "dashboard_url": reverse("findings:dashboard"),
            }
        )
    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "csrf_secret": _get_new_csrf_string(),
        "my_returns_url": reverse("audits:my-returns"),
        "login_url": reverse(settings.LOGIN_URL),
        "practitioners": spec_practitioners,
        "business": spec_business,
        "practitioner_count": len(spec_practitioners),
        "business_count": len(spec_business),
    }


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer at {url}")


def warm(spec: dict, rounds: int) -> None:
    """Every page of the run, a few times, before the clock starts (not measured)."""
    cookie = spec["session_cookie"]
    urls = []
    if spec["practitioners"]:
        entry = spec["practitioners"][0]
        urls += [(entry, spec["my_returns_url"])]
        urls += [(entry, r["detail_url"]) for r in entry["returns"][-1:]]
    if spec["business"]:
        entry = spec["business"][0]
        urls += [
            (entry, entry[key])
            for key in ("programme_url", "progress_url", "results_url", "actions_url")
        ]
        urls += [(entry, entry["dashboard_url"])]
    for _ in range(rounds):
        for entry, url in urls:
            headers = {"Cookie": f"{cookie}={entry['session']}", "Host": entry["host"]}
            request = urllib.request.Request(f"{HOST}{url}", headers=headers)  # noqa: S310
            try:
                with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                    response.read()
            except OSError:
                pass


def parse_stats(path: Path) -> dict:
    rows = {}
    with path.open() as handle:
        for row in csv.DictReader(handle):
            name = row["Name"]

            def num(key: str, row=row) -> float:
                value = row.get(key, "")
                return float(value) if value not in {"", "N/A"} else 0.0

            rows[name] = {
                "requests": int(num("Request Count")),
                "failures": int(num("Failure Count")),
                "rps": round(num("Requests/s"), 2),
                "median_ms": num("50%"),
                "p95_ms": num("95%"),
                "p99_ms": num("99%"),
                "average_ms": round(num("Average Response Time"), 1),
                "max_ms": num("Max Response Time"),
            }
    return rows


def verify(acks_path: Path) -> dict:
    """Every acknowledged save must be in the database: for each return, the last
    acknowledged draft (highest version) is what the database holds (same version, same
    marker in the first question's evidence) unless a later save or the submission
    superseded it; an acknowledged submission left the return submitted with its answers."""
    from audits.models import Answer, QuestionSetItem, Return

    saves: dict[int, dict] = {}
    submits: dict[int, dict] = {}
    total = 0
    for line in acks_path.read_text().splitlines():
        ack = json.loads(line)
        total += 1
        if ack.get("submitted"):
            submits[ack["return"]] = ack
        elif ack["version"] >= saves.get(ack["return"], {}).get("version", -1):
            saves[ack["return"]] = ack
    returns = {
        r.pk: r
        for r in Return.objects.filter(pk__in=set(saves) | set(submits)).select_related("audit")
    }
    first_item: dict[int, int] = {}
    lost = []
    for rid in set(saves) | set(submits):
        r = returns[rid]
        qs_id = r.audit.question_set_id
        if qs_id not in first_item:
            first_item[qs_id] = (
                QuestionSetItem.objects.filter(question_set_id=qs_id, kind="grade")
                .order_by("order", "pk")
                .values_list("pk", flat=True)
                .first()
            )
        evidence = (
            Answer.objects.filter(audit_return=r, item_id=first_item[qs_id])
            .values_list("evidence", flat=True)
            .first()
        )
        if rid in submits:
            if r.status != Return.Status.SUBMITTED or evidence != submits[rid]["marker"]:
                lost.append({"return": rid, "why": "acknowledged submission not in the database"})
            continue
        ack = saves[rid]
        if r.version < ack["version"]:
            lost.append({"return": rid, "why": f"version {r.version} < acked {ack['version']}"})
        elif r.version == ack["version"] and evidence != ack["marker"]:
            lost.append({"return": rid, "why": "last acknowledged answers not in the database"})
    return {
        "acknowledged": total,
        "acknowledged_saves": total - len(submits),
        "acknowledged_submissions": len(submits),
        "returns_checked": len(returns),
        "lost": len(lost),
        "lost_detail": lost[:20],
    }


def redis_for_load() -> str:
    """The Redis URL the load runs with, flushed, or "" when none is configured or answering."""
    url = os.environ.get("BENCH_LOAD_REDIS_URL", "redis://127.0.0.1:6379/15")
    if not url:
        return ""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.RedisError as error:
        print(f"Redis at {url} is not answering ({error}): load runs without Redis", flush=True)
        return ""
    return url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    setup_django()
    practitioners = int(os.environ.get("BENCH_LOAD_PRACTITIONERS", "50"))
    business = int(os.environ.get("BENCH_LOAD_BUSINESS", "10"))
    seconds = int(os.environ.get("BENCH_LOAD_SECONDS", "120"))
    spawn_rate = os.environ.get("BENCH_LOAD_SPAWN_RATE", "2")
    workers = os.environ.get("BENCH_GUNICORN_WORKERS", "3")

    machine_before = machine()  # the load average before this run adds its own
    spec = build_spec(practitioners, business)
    users = spec["practitioner_count"] + spec["business_count"]
    tmp = Path(tempfile.mkdtemp(prefix="auditportal-bench-"))
    spec_path, acks_path = tmp / "spec.json", tmp / "acks.jsonl"
    spec_path.write_text(json.dumps(spec))
    acks_path.write_text("")
    redis_url = redis_for_load()
    env = {
        **os.environ,
        **BENCH_ENV,
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": redis_url,
        "BENCH_LOAD_SPEC": str(spec_path),
        "BENCH_LOAD_ACKS": str(acks_path),
    }
    worker_cmd = [
        str(BIN / "celery"),
        "-A",
        "auditportal",
        "worker",
        "--pool",
        "solo",
        "--loglevel",
        "WARNING",
    ]
    gunicorn_cmd = [
        str(BIN / "gunicorn"),
        "auditportal.wsgi",
        "-w",
        workers,
        "-b",
        f"127.0.0.1:{PORT}",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    locust_cmd = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "-u",
        str(users),
        "-r",
        spawn_rate,
        "-t",
        f"{seconds}s",
        "--host",
        HOST,
        "--csv",
        str(tmp / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "10",
    ]
    workers_shape = os.environ.get("BENCH_LOAD_WORKERS", "solo")
    if workers_shape == "compose":
        worker_cmds = [["bin/start-worker", role] for role in ("default", "mail")]
        env["CELERY_LOG_LEVEL"] = "WARNING"
        env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    else:
        worker_cmds = [worker_cmd]
    celery_workers: list[subprocess.Popen] = []
    if redis_url:
        for cmd in worker_cmds:
            print("$", " ".join(cmd), flush=True)
            celery_workers.append(subprocess.Popen(cmd, cwd=ROOT, env=env))
    print("$", " ".join(gunicorn_cmd), flush=True)
    server = subprocess.Popen(gunicorn_cmd, cwd=ROOT, env=env)
    try:
        wait_for(f"{HOST}/healthz")
        # Warm each worker: URLconf, views and templates load on a worker's first request.
        warm(spec, rounds=2 * int(workers))
        print("$", " ".join(locust_cmd), flush=True)
        started = time.perf_counter()
        subprocess.run(locust_cmd, cwd=ROOT, env=env, check=False)
        elapsed = time.perf_counter() - started
    finally:
        for process in (server, *celery_workers):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        if redis_url:
            redis_for_load()

    stats = parse_stats(tmp / "locust_stats.csv")
    failures_path = tmp / "locust_failures.csv"
    failures = failures_path.read_text() if failures_path.exists() else ""
    check = verify(acks_path)
    total = stats.get("Aggregated", {})
    out = {
        "label": args.label,
        "machine": machine_before,
        "config": {
            "practitioners": spec["practitioner_count"],
            "business": spec["business_count"],
            "seconds": seconds,
            "spawn_rate": spawn_rate,
            "gunicorn_workers": workers,
            "think_time_s": [
                os.environ.get("BENCH_WAIT_MIN", "10"),
                os.environ.get("BENCH_WAIT_MAX", "30"),
            ],
            "locust": " ".join(locust_cmd[1:]).replace(str(tmp), "<tmp>"),
            "gunicorn": " ".join(gunicorn_cmd[1:]),
            "redis": redis_url or None,
            "celery_worker": (
                "; ".join(" ".join(cmd) for cmd in worker_cmds) if redis_url else None
            ),
            "wall_seconds": round(elapsed, 1),
        },
        "total": total,
        "by_request": {k: v for k, v in stats.items() if k != "Aggregated"},
        "errors": total.get("failures", 0),
        "failures_csv": failures[:2000],
        "saves": check,
        "targets": {"errors": 0, "p95_ms": 300, "lost": 0},
        "machine_after": machine(),
    }
    write_result(f"load_{args.label}" if args.label else "load", out)
    print(
        f"load: {total.get('requests', 0)} requests, {total.get('rps', 0)} rps, "
        f"p50 {total.get('median_ms')} ms, p95 {total.get('p95_ms')} ms, "
        f"p99 {total.get('p99_ms')} ms, errors {out['errors']}; "
        f"acknowledged saves {check['acknowledged']}, lost {check['lost']}",
        flush=True,
    )


if __name__ == "__main__":
    main()
