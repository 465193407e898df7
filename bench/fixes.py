"""Before/after figures of the fixes made from the benchmarks (docs/benchmarks.md):

- the board dashboard's theme trends: every audit (before) against each theme's latest 10
  audits (after, findings.views.results.DASHBOARD_TREND_AUDITS), timed at the service.

    .venv/bin/python bench/fixes.py --label 100x
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, setup_django, summarise, timed, write_result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", default="")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    from findings.results import theme_trends
    from findings.views.results import DASHBOARD_TREND_AUDITS

    every = theme_trends(for_board=True)
    latest = theme_trends(for_board=True, latest=DASHBOARD_TREND_AUDITS)
    out = {
        "label": args.label,
        "machine": machine(),
        "theme_trends_every_audit": {
            "points": sum(len(t.points) for t in every),
            **summarise(timed(lambda: theme_trends(for_board=True), args.repeats, warmup=1)),
        },
        "theme_trends_latest": {
            "latest": DASHBOARD_TREND_AUDITS,
            "points": sum(len(t.points) for t in latest),
            **summarise(
                timed(
                    lambda: theme_trends(for_board=True, latest=DASHBOARD_TREND_AUDITS),
                    args.repeats,
                    warmup=1,
                )
            ),
        },
    }
    write_result(f"fixes_{args.label}", out)
    print(
        f"{args.label} dashboard theme trends: every audit "
        f"({out['theme_trends_every_audit']['points']} points) median "
        f"{out['theme_trends_every_audit']['median_ms']} ms; latest {DASHBOARD_TREND_AUDITS} "
        f"({out['theme_trends_latest']['points']} points) median "
        f"{out['theme_trends_latest']['median_ms']} ms",
        flush=True,
    )


if __name__ == "__main__":
    main()
