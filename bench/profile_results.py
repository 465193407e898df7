"""Where the results service's time goes: time inside PostgreSQL (each query, as the driver
sees it) against the Python around it, then a cProfile of repeated calls.

    .venv/bin/python bench/profile_results.py --repeats 30          (DATABASE_URL: a bench DB)
    .venv/bin/python bench/profile_results.py --audit 753 --top 25

Prints, for the largest audit (or --audit): the median wall time of `audit_results`, the
median time spent executing its queries (cursor.execute + fetch, per query), the rest
(Python: compiling querysets, converting rows, shaping figures), and the functions with the
most cumulative time under cProfile. Writes bench/results/profile_results.json.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, setup_django, write_result


def largest_audit():
    from django.db.models import Count, Q

    from audits.models import Audit, Return

    return (
        Audit.objects.annotate(
            n=Count("returns", filter=Q(returns__status=Return.Status.SUBMITTED))
        )
        .order_by("-n", "pk")
        .first()
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--audit", type=int, default=None, help="default: the largest audit")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--moderated", action="store_true", help="use_moderated=True")
    args = parser.parse_args()
    setup_django()

    from django.db import connection

    from audits.models import Audit
    from findings.results import audit_results

    audit = Audit.objects.get(pk=args.audit) if args.audit else largest_audit()
    call = lambda: audit_results(audit=audit, use_moderated=args.moderated)  # noqa: E731
    call()  # warm: imports, connection, plans in PostgreSQL's caches

    queries: list[tuple[str, float]] = []

    def timing(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((sql, (time.perf_counter() - t0) * 1000))

    walls, in_db, per_query = [], [], []
    for _ in range(args.repeats):
        queries.clear()
        with connection.execute_wrapper(timing):
            t0 = time.perf_counter()
            call()
            walls.append((time.perf_counter() - t0) * 1000)
        in_db.append(sum(ms for _, ms in queries))
        per_query.append([ms for _, ms in queries])
    # Rows are fetched when the queryset iterates, after execute returns: the execute wrapper
    # sees PostgreSQL's work (plan, run, send) but not the driver turning rows into tuples.
    wall, db = statistics.median(walls), statistics.median(in_db)
    query_medians = [round(statistics.median(column), 2) for column in zip(*per_query, strict=True)]

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.repeats):
        call()
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(args.top)
    stream.write("\n--- by own time ---\n")
    pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(args.top)

    out = {
        "machine": machine(),
        "audit_id": audit.pk,
        "use_moderated": args.moderated,
        "repeats": args.repeats,
        "wall_median_ms": round(wall, 2),
        "queries": len(query_medians),
        "in_database_median_ms": round(db, 2),
        "per_query_median_ms": query_medians,
        "outside_database_ms": round(wall - db, 2),
        "query_sql": [sql[:300] for sql, _ in queries],
    }
    print(
        f"audit {audit.pk}: audit_results median {out['wall_median_ms']} ms; "
        f"{out['queries']} queries, executing {out['in_database_median_ms']} ms "
        f"({', '.join(map(str, query_medians))}); outside the database "
        f"{out['outside_database_ms']} ms; load average {out['machine'].get('loadavg')}"
    )
    print(stream.getvalue())
    write_result("profile_results", out)


if __name__ == "__main__":
    main()
