"""The capacity ramp's verdict on one step (bench/ramp.py): a step passes only with requests
made, p95 within the target, no errors and no lost saves."""

import pytest

from bench.ramp import step_env, summarise_step


def _load_result(*, p95: float, errors: int = 0, lost: int = 0, requests: int = 40) -> dict:
    return {
        "config": {"practitioners": 25, "business": 5},
        "total": {"requests": requests, "rps": 4.0, "median_ms": 90.0, "p95_ms": p95},
        "by_request": {
            "autosave": {"p95_ms": p95},
            "results": {"p95_ms": p95 / 2},
        },
        "errors": errors,
        "saves": {"lost": lost},
        "machine": {"loadavg": ["0.5", "0.4", "0.3"]},
    }


@pytest.mark.parametrize(
    ("result", "passed"),
    [
        (_load_result(p95=300.0), True),
        (_load_result(p95=310.0), False),
        (_load_result(p95=120.0, errors=1), False),
        (_load_result(p95=120.0, lost=1), False),
        (_load_result(p95=120.0, requests=0), False),
    ],
)
def test_ramp_step_passes_only_within_target_without_errors_or_lost_saves(result, passed):
    row = summarise_step(25, result, target_ms=300.0)

    assert row["passed"] is passed
    assert row["slowest_request"] == "autosave"
    assert (row["practitioners"], row["business"]) == (25, 5)


def test_ramp_step_runs_the_stress_think_time_and_compose_workers(monkeypatch):
    for name in ("BENCH_RAMP_WAIT_MIN", "BENCH_RAMP_WAIT_MAX", "BENCH_RAMP_SECONDS"):
        monkeypatch.delenv(name, raising=False)

    env = step_env(50)

    assert (env["BENCH_LOAD_PRACTITIONERS"], env["BENCH_LOAD_BUSINESS"]) == ("50", "10")
    assert (env["BENCH_WAIT_MIN"], env["BENCH_WAIT_MAX"]) == ("3", "10")
    assert env["BENCH_LOAD_WORKERS"] == "compose"
    assert env["BENCH_LOAD_SECONDS"] == "90"
