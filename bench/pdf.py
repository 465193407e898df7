"""Briefing PDF benchmark step of `make bench`: bench/bench_pdf.py's run() (demo and large
briefing through the project's path, against WeasyPrint alone on the same HTML) on a
database holding the demo data. Writes bench/results/pdf.json."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, setup_django, write_result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    from bench import bench_pdf

    result = bench_pdf.run(repeats=args.repeats)
    result["machine"] = machine()
    result["target_ratio"] = 1.3
    write_result("pdf", result)
    for name in ("demo", "large"):
        row = result.get(name) or {}
        print(
            f"briefing PDF {name}: project {row.get('project_median_s')} s, WeasyPrint alone "
            f"{row.get('weasyprint_median_s')} s, ratio {row.get('ratio')} (target <= 1.3), "
            f"{row.get('pages')} pages",
            flush=True,
        )


if __name__ == "__main__":
    main()
