"""First views against repeat views, and the results page against its floor (issue 19's first
three targets), with the test client in one process, on partnership P001's data.

- *repeat*: the page asked again with nothing changed since the last request;
- *first view after a change*: before each request one submitted answer of the audit changes
  (its grade moves to the next grade, through the ORM, outside the timing), so anything kept
  from the last request would be stale;
- *floor* of the results page: the same page with its charts drawn as nothing, and its figures'
  time replaced by one hand-written SQL query's (bench/sql.py):
  floor = page without charts - `audit_results` + the hand SQL, each the median of the run.

Dashboards (the board member's and the business team's): first view after a change ÷ repeat.
Every series is interleaved with the others, request by request, so drift in the machine's load
falls on all of them alike.

    .venv/bin/python bench/views.py --label 1x --repeats 30   (bench/run.py sets DATABASE_URL)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, setup_django, summarise, write_result

TARGETS = {"results_first_to_floor": 1.5, "results_repeat_to_floor": 1.3, "dashboard": 1.2}


def _ms(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def changer(audit):
    """A function that changes one submitted grade answer of `audit` each time it is called."""
    from audits.models import Answer, Grade, Return

    answer = (
        Answer.objects.filter(
            audit_return__audit=audit,
            audit_return__status=Return.Status.SUBMITTED,
            item__kind="grade",
        )
        .exclude(choice__in=["", Grade.NOT_APPLICABLE])
        .order_by("pk")
        .first()
    )
    grades = [g for g in Grade.values if g != Grade.NOT_APPLICABLE]

    def change(*, back: bool = False) -> None:
        if back:  # the answer as it was
            Answer.objects.filter(pk=answer.pk).update(choice=answer.choice)
            return
        current = Answer.objects.filter(pk=answer.pk).values_list("choice", flat=True)[0]
        following = grades[(grades.index(current) + 1) % len(grades)]
        Answer.objects.filter(pk=answer.pk).update(choice=following)

    return change


def get(client, url: str, host: str) -> None:
    response = client.get(url, HTTP_HOST=host)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")


def measure(subj: dict, repeats: int) -> dict:
    from django.test import Client
    from django.urls import reverse

    from bench.sql import run_sql
    from findings.results import audit_results

    host, audit = subj["host"], subj["results_audit"]
    business, board = Client(), Client()
    business.force_login(subj["business"])
    board.force_login(subj["board"])
    results_url = reverse("findings:results", args=[audit.pk])
    dashboard_url = reverse("findings:dashboard")
    change = changer(audit)
    no_charts = [
        mock.patch("findings.views.results.grade_chart_svg", lambda *a, **k: ""),
        mock.patch("findings.views.results.trend_chart_svg", lambda *a, **k: ""),
    ]
    series: dict[str, list[float]] = {
        name: []
        for name in (
            "results_repeat",
            "results_first",
            "results_no_charts",
            "service",
            "hand_sql",
            "board_repeat",
            "board_first",
            "business_repeat",
            "business_first",
        )
    }
    pages = [
        ("results", business, results_url),
        ("board", board, dashboard_url),
        ("business", business, dashboard_url),
    ]
    for _ in range(2):  # warm-up: templates, connections
        for _name, client, url in pages:
            get(client, url, host)
    for _ in range(repeats):
        for name, client, url in pages:
            series[f"{name}_repeat"].append(_ms(lambda c=client, u=url: get(c, u, host)))
            change()
            series[f"{name}_first"].append(_ms(lambda c=client, u=url: get(c, u, host)))
        for patch in no_charts:
            patch.start()
        try:
            series["results_no_charts"].append(_ms(lambda: get(business, results_url, host)))
        finally:
            for patch in no_charts:
                patch.stop()
        series["service"].append(_ms(lambda: audit_results(audit=audit)))
        series["hand_sql"].append(_ms(lambda: run_sql(audit.pk)))
    change(back=True)
    med = {name: statistics.median(values) for name, values in series.items()}
    floor = med["results_no_charts"] - med["service"] + med["hand_sql"]
    return {
        "series": {name: summarise(values) for name, values in series.items()},
        "floor_ms": round(floor, 2),
        "ratios": {
            "results_first_to_floor": round(med["results_first"] / floor, 2),
            "results_repeat_to_floor": round(med["results_repeat"] / floor, 2),
            "board_dashboard_first_to_repeat": round(med["board_first"] / med["board_repeat"], 2),
            "business_dashboard_first_to_repeat": round(
                med["business_first"] / med["business_repeat"], 2
            ),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", required=True)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    setup_django()
    from auditportal.tenancy import partnership_context
    from bench.pages import first_partnership, subjects

    subj = subjects()
    before = machine()
    # The change and the service run as P001's own code would; the requests find P001 by host.
    with partnership_context(first_partnership()):
        out = measure(subj, args.repeats)
    out.update(
        label=args.label,
        repeats=args.repeats,
        audit=subj["results_audit"].pk,
        machine=before,
        machine_after=machine(),
        targets=TARGETS,
    )
    write_result(f"views_{args.label}", out)
    ratios = out["ratios"]
    print(
        f"{args.label}: results first ÷ floor {ratios['results_first_to_floor']}, repeat ÷ floor "
        f"{ratios['results_repeat_to_floor']} (floor {out['floor_ms']} ms); dashboards first ÷ "
        f"repeat: board {ratios['board_dashboard_first_to_repeat']}, business "
        f"{ratios['business_dashboard_first_to_repeat']}",
        flush=True,
    )


if __name__ == "__main__":
    main()
