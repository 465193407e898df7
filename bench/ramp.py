"""Capacity ramp: the load step (bench/load.py) at rising numbers of practitioners with the
stress think time, in the production shape, until p95 passes the target.

    .venv/bin/python bench/ramp.py --label 100x            (bench/run.py sets DATABASE_URL)
    BENCH_RAMP_STEPS=10,20 BENCH_RAMP_SECONDS=45 .venv/bin/python bench/ramp.py --label 1x

Each step is one bench/load.py run of its own (gunicorn, Redis as cache and broker, the two
Celery workers of docker-compose.yml: `bin/start-worker default` and `bin/start-worker mail`)
with N practitioners and N/5 business users (the 50 + 10 of the load step), think time
BENCH_RAMP_WAIT_MIN/MAX (3/10 s: the stress setting). The ramp stops after the first step
whose p95 passes BENCH_RAMP_P95_MS (300) or that has errors or lost saves, or when the data
has no more practitioners with returns to fill. Capacity is the last step that passed.

Environment: BENCH_RAMP_STEPS (25,50,75,100,150,200,300), BENCH_RAMP_SECONDS (90 a step),
BENCH_RAMP_SPAWN_RATE (5 users a second), BENCH_RAMP_P95_MS (300), BENCH_RAMP_WAIT_MIN/MAX,
and the load step's own (BENCH_GUNICORN_WORKERS, BENCH_LOAD_REDIS_URL, BENCH_PORT).
A ramp needs a machine with nothing else running: on a shared one it measures the neighbours.
Each step changes the data (returns get submitted); regenerate before figures are compared.
Writes bench/results/ramp_<label>.json (and load_ramp_<label>_<N>.json per step).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, load_result, machine, write_result


def _steps() -> list[int]:
    raw = os.environ.get("BENCH_RAMP_STEPS", "25,50,75,100,150,200,300")
    return sorted({int(step) for step in raw.split(",") if step.strip()})


def step_env(practitioners: int) -> dict[str, str]:
    return {
        **os.environ,
        "BENCH_LOAD_PRACTITIONERS": str(practitioners),
        "BENCH_LOAD_BUSINESS": str(max(1, practitioners // 5)),
        "BENCH_LOAD_SECONDS": os.environ.get("BENCH_RAMP_SECONDS", "90"),
        "BENCH_LOAD_SPAWN_RATE": os.environ.get("BENCH_RAMP_SPAWN_RATE", "5"),
        "BENCH_WAIT_MIN": os.environ.get("BENCH_RAMP_WAIT_MIN", "3"),
        "BENCH_WAIT_MAX": os.environ.get("BENCH_RAMP_WAIT_MAX", "10"),
        "BENCH_LOAD_WORKERS": "compose",
    }


def summarise_step(practitioners: int, data: dict, target_ms: float) -> dict:
    total, saves, cfg = data.get("total", {}), data.get("saves", {}), data.get("config", {})
    by_request = data.get("by_request", {})
    slowest = max(by_request.items(), key=lambda kv: kv[1].get("p95_ms", 0), default=("", {}))
    row = {
        "asked_practitioners": practitioners,
        "practitioners": cfg.get("practitioners"),
        "business": cfg.get("business"),
        "requests": total.get("requests", 0),
        "rps": total.get("rps", 0),
        "median_ms": total.get("median_ms"),
        "p95_ms": total.get("p95_ms"),
        "p99_ms": total.get("p99_ms"),
        "errors": data.get("errors", 0),
        "lost": saves.get("lost", 0),
        "slowest_request": slowest[0],
        "slowest_p95_ms": slowest[1].get("p95_ms"),
        "loadavg_before": (data.get("machine") or {}).get("loadavg"),
        "loadavg_after": (data.get("machine_after") or {}).get("loadavg"),
    }
    row["passed"] = bool(
        row["requests"]
        and (row["p95_ms"] or 0) <= target_ms
        and not row["errors"]
        and not row["lost"]
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    target_ms = float(os.environ.get("BENCH_RAMP_P95_MS", "300"))
    rows: list[dict] = []
    started = machine()
    stop = ""
    for practitioners in _steps():
        name = f"ramp_{args.label}_{practitioners}" if args.label else f"ramp_{practitioners}"
        print(f"ramp: {practitioners} practitioners", flush=True)
        subprocess.run(
            [PYTHON, "bench/load.py", "--label", name],
            cwd=ROOT,
            env=step_env(practitioners),
            check=True,
        )
        row = summarise_step(practitioners, load_result(f"load_{name}"), target_ms)
        rows.append(row)
        print(
            f"ramp: {row['practitioners']} practitioners + {row['business']} business: "
            f"p95 {row['p95_ms']} ms (slowest: {row['slowest_request']} "
            f"{row['slowest_p95_ms']} ms), {row['rps']} rps, errors {row['errors']}, "
            f"lost {row['lost']}; load average {row['loadavg_before']}",
            flush=True,
        )
        if not row["passed"]:
            stop = f"p95 {row['p95_ms']} ms, errors {row['errors']}, lost {row['lost']}"
            break
        if (row["practitioners"] or 0) < practitioners:
            stop = f"the data has only {row['practitioners']} practitioners with returns to fill"
            break
    passed = [row for row in rows if row["passed"]]
    out = {
        "label": args.label,
        "machine": started,
        "machine_after": machine(),
        "target_p95_ms": target_ms,
        "think_time_s": [step_env(0)["BENCH_WAIT_MIN"], step_env(0)["BENCH_WAIT_MAX"]],
        "seconds_per_step": int(step_env(0)["BENCH_LOAD_SECONDS"]),
        "steps": rows,
        "capacity_practitioners": passed[-1]["practitioners"] if passed else 0,
        "stopped_because": stop or "every step passed",
    }
    write_result(f"ramp_{args.label}" if args.label else "ramp", out)
    print(
        f"ramp: capacity {out['capacity_practitioners']} practitioners at p95 <= "
        f"{target_ms:.0f} ms ({out['stopped_because']})",
        flush=True,
    )


if __name__ == "__main__":
    main()
