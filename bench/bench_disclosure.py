"""Disclosure check benchmark: median seconds of the check that runs when a briefing is
published, on a database of generated data (every pseudonym and record reference of the
partnership is read, decrypted and looked for in the printed document).

- identifiers: reading and decrypting every pseudonym and record reference;
- document: rendering the version's HTML, indexing the identifiers and reading every text run;
- whole check: `briefings.services.disclosure_problems`, as publishing runs it.

Reads only; on the first briefing of the database.

    DEBUG=1 DATABASE_URL=postgres://.../auditportal_bench_100x \\
        .venv/bin/python bench/bench_disclosure.py --repeats 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _median(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 3)


def run(*, repeats: int) -> dict:
    from briefings import data, disclosure, services
    from briefings.models import Briefing, BriefingVersion

    briefing = Briefing.objects.select_related("audit").order_by("pk").first()
    if briefing is None:
        return {"skipped": "no briefing in this database"}
    content = data.snapshot(briefing)
    version = BriefingVersion(briefing=briefing, number=0, content=content)
    identifiers = disclosure.identifiers_for(briefing.audit)
    return {
        "identifiers": len(identifiers),
        "identifiers_seconds": _median(lambda: disclosure.identifiers_for(briefing.audit), repeats),
        "document_seconds": _median(
            lambda: disclosure.printed_problems(content, identifiers), repeats
        ),
        "whole_check_seconds": _median(lambda: services.disclosure_problems(version), repeats),
        "load_average": [f"{n:.2f}" for n in os.getloadavg()],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "auditportal.settings")
    import django

    django.setup()
    print(json.dumps(run(repeats=args.repeats), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
