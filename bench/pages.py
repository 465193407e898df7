"""Key pages with the Django test client: server time (median, p95) and query counts.

Run by bench/run.py once per scale (DATABASE_URL points at that scale's database):
    .venv/bin/python bench/pages.py --label 100x --repeats 30
Writes bench/results/pages_<label>.json. Pages whose URL name does not exist yet are skipped
and listed as such.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, setup_django, summarise, timed, write_result

# name, URL name, who asks, which object the URL takes (None: no argument)
PAGES = [
    ("my_returns", "audits:my-returns", "practitioner", None),
    ("return_form", "audits:return-detail", "practitioner", "open_return"),
    ("progress_matrix", "audits:progress", "business", "open_audit"),
    ("results", "findings:results", "business", "results_audit"),
    ("action_tracker", "findings:action-tracker", "business", None),
    ("board_dashboard", "findings:dashboard", "board", None),
    ("programme", "audits:programme", "business", None),
]


def first_partnership():
    """Partnership P001 (bench/generate.py), which every scale makes identically."""
    from cases.models import Partnership

    return Partnership.objects.get(slug="bench-p001")


def subjects() -> dict:
    """The users and audits every scale measures: all of partnership P001, which the
    generator makes identically at every scale, so only the other tenants grow in number;
    `host` is its own host name (p001.<domain>), which the requests are sent to."""
    from auditportal.tenancy import partnership_context
    from bench.generate_tenants import tenant_host

    partnership = first_partnership()
    first_host = partnership.hosts.order_by("pk").first()
    with partnership_context(partnership):
        found = _subjects()
    return {**found, "host": first_host.host if first_host else tenant_host(1)}


def _subjects() -> dict:
    from django.db.models import Count, Q

    from accounts.models import User
    from audits.models import Audit, Return

    p1 = Audit.objects.filter(title__startswith="P001 ")
    open_audit = (
        p1.filter(status=Audit.Status.OPEN)
        .annotate(n=Count("returns"))
        .order_by("-n", "pk")
        .first()
    )
    results_audit = (
        p1.filter(
            status__in=[
                Audit.Status.MODERATION,
                Audit.Status.FINDINGS_AGREED,
                Audit.Status.PUBLISHED,
                Audit.Status.CLOSED,
            ]
        )
        .annotate(n=Count("returns", filter=Q(returns__status=Return.Status.SUBMITTED)))
        .order_by("-n", "pk")
        .first()
    )
    practitioner = (
        User.objects.filter(role=User.Role.PRACTITIONER, username__startswith="p001-")
        .annotate(
            n=Count(
                "memberships__agency__returns",
                filter=Q(memberships__agency__returns__audit__status=Audit.Status.OPEN),
            )
        )
        .order_by("-n", "pk")
        .first()
    )
    open_return = (
        Return.objects.filter(
            agency__memberships__user=practitioner,
            audit__status=Audit.Status.OPEN,
            status=Return.Status.IN_PROGRESS,
        )
        .order_by("pk")
        .first()
    )
    return {
        "open_return": open_return,
        "business": User.objects.get(username="p001-business0"),
        "board": User.objects.get(username="p001-board0"),
        "practitioner": practitioner,
        "open_audit": open_audit,
        "results_audit": results_audit,
    }


def page_url(url_name: str, obj) -> str | None:
    from django.urls import NoReverseMatch, reverse

    for args in ([], [obj.pk] if obj is not None else None):
        if args is None:
            continue
        try:
            return reverse(url_name, args=args)
        except NoReverseMatch:
            continue
    return None


def measure(url: str, user, repeats: int, host: str) -> dict:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=host)
    client.force_login(user)
    t0 = time.perf_counter()
    first = client.get(url)
    first_ms = (time.perf_counter() - t0) * 1000
    if first_ms > 2000:  # a page this slow says enough in fewer requests
        repeats = min(repeats, 10)
    if first.status_code != 200:
        return {"url": url, "status": first.status_code, "error": "not 200"}
    reset_queries()  # request_started clears the log: start from an empty one
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    captured = list(ctx.captured_queries)  # a view of the log: copy before the next request
    sql_ms = sum(float(q["time"]) for q in captured) * 1000
    samples = timed(lambda: client.get(url), repeats, warmup=2)
    return {
        "url": url,
        "status": response.status_code,
        "queries": len(captured),
        "first_request_ms": round(first_ms, 1),
        "sql_ms_one_request": round(sql_ms, 2),
        "bytes": len(response.content),
        **summarise(samples),
    }


def run(label: str, repeats: int, only: list[str] | None = None) -> dict:
    from django.db import connection

    from audits.models import Answer, Audit, Return
    from cases.models import Partnership

    subj = subjects()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
        cursor.execute(
            "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        role, superuser, bypass = cursor.fetchone()
    out = {
        "label": label,
        "postgresql": server_version,
        # Row-level security binds only an ordinary role: the pages run as one.
        "database_role": {"name": role, "superuser": superuser, "bypassrls": bypass},
        "repeats": repeats,
        "machine": machine(),
        "data": {
            "partnerships": Partnership.objects.count(),
            "audits": Audit.objects.count(),
            "returns": Return.objects.count(),
            "answers": Answer.objects.count(),
        },
        "host": subj["host"],
        "subjects": {
            "practitioner": subj["practitioner"].username,
            "business": subj["business"].username,
            "board": subj["board"].username,
            "open_audit": subj["open_audit"].pk,
            "open_audit_returns": subj["open_audit"].returns.count(),
            "results_audit": subj["results_audit"].pk,
            "results_audit_returns": subj["results_audit"].returns.count(),
        },
        "pages": {},
    }
    for name, url_name, who, obj_key in PAGES:
        if only and name not in only:
            continue
        url = page_url(url_name, subj[obj_key] if obj_key else None)
        if url is None:
            out["pages"][name] = {"skipped": f"no URL named {url_name} yet"}
            print(f"{label:>5} {name:<16} skipped (no URL {url_name})", flush=True)
            continue
        try:
            result = measure(url, subj[who], repeats, subj["host"])
        except Exception as exc:  # a page still being built must not stop the others
            result = {"url": url, "error": f"{type(exc).__name__}: {exc}"[:300]}
        out["pages"][name] = result
        if "median_ms" in result:
            print(
                f"{label:>5} {name:<16} median {result['median_ms']:7.1f} ms  "
                f"p95 {result['p95_ms']:7.1f} ms  queries {result['queries']:3d}  {url}",
                flush=True,
            )
        else:
            print(f"{label:>5} {name:<16} {result}", flush=True)
    connection.close()
    return out


def merge_rounds(rounds: list[dict]) -> dict:
    """One scale's figures from several interleaved runs of `run`: per page, the median of the
    rounds' medians and of their p95s; the query count of every round (they must agree)."""
    import statistics

    merged = {**rounds[0], "rounds": len(rounds), "pages": {}}
    merged["machine_rounds"] = [r.get("machine", {}).get("loadavg") for r in rounds]
    for name, first in rounds[0].get("pages", {}).items():
        found = [r["pages"].get(name, {}) for r in rounds]
        if not all("median_ms" in page for page in found):
            merged["pages"][name] = first
            continue
        merged["pages"][name] = {
            **first,
            "median_ms": round(statistics.median(p["median_ms"] for p in found), 2),
            "p95_ms": round(statistics.median(p["p95_ms"] for p in found), 2),
            "round_medians_ms": [p["median_ms"] for p in found],
            "round_p95s_ms": [p["p95_ms"] for p in found],
            "queries_every_round": sorted({p["queries"] for p in found}),
        }
    return merged


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", required=True)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--output", default=None)
    args = parser.parse_args()
    setup_django()
    out = run(args.label, args.repeats, args.only)
    write_result(args.output or f"pages_{args.label}", out)


if __name__ == "__main__":
    main()
