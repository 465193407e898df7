"""`make bench`: every benchmark end to end on PostgreSQL (docs/benchmarks.md).

    .venv/bin/python bench/run.py                       # 1, 10, 150 partnerships; every benchmark
    BENCH_SCALES=1,10 .venv/bin/python bench/run.py     # smaller
    .venv/bin/python bench/run.py --only pages sql      # some benchmarks
    BENCH_REUSE=1 ...                                   # keep generated databases if current
    BENCH_REUSE=force ...                               # keep them even if models changed

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/auditportal_bench;
each scale gets its own database <name>_<scale>x, dropped and recreated, holding that many
partnerships as tenants; pages, load and ramp connect as an ordinary role, so row-level
security binds them), BENCH_SCALES,
BENCH_SEED (1), BENCH_REPEATS (30 page requests), BENCH_LOAD_USERS / BENCH_LOAD_SECONDS,
BENCH_RAMP_SCALE (the largest scale run) and bench/ramp.py's BENCH_RAMP_* for the capacity ramp.
Results: bench/results/<name>.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    PYTHON,
    ROOT,
    app_role_url,
    database_exists,
    db_url,
    env_for,
    load_result,
    machine,
    recreate_database,
    run_child,
    write_result,
)

STEPS = ["generate", "pages", "views", "sql", "pdf", "render", "alerts", "load", "ramp"]


def schema_fingerprint() -> str:
    digest = hashlib.sha256()
    generator = [ROOT / "bench" / "rows.py", *sorted((ROOT / "bench").glob("generate*.py"))]
    for path in [*sorted(ROOT.glob("*/models.py")), *generator]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def migrations_current() -> bool:
    """True when the committed migrations match the models (then the bench uses them)."""
    env = env_for(db_url("1x"))
    env.pop("BENCH_NO_MIGRATIONS", None)
    result = subprocess.run(
        [PYTHON, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    return result.returncode == 0


def read_meta(url: str) -> dict:
    import psycopg

    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
            row = conn.execute("SELECT value FROM bench_meta WHERE key = 'generated'").fetchone()
            return json.loads(row[0]) if row else {}
    except psycopg.Error:
        return {}


def write_meta(url: str, meta: dict) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text)")
        conn.execute(
            "INSERT INTO bench_meta VALUES ('generated', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [json.dumps(meta)],
        )


def prepare_scale(scale: int, seed: int, reuse: bool) -> dict:
    """Database <base>_<scale>x with `scale` partnerships of data; reused when asked and when
    it was generated from the same models, generator and seed."""
    url = db_url(f"{scale}x")
    wanted = {"scale": scale, "seed": seed, "fingerprint": schema_fingerprint()}
    if reuse and database_exists(url):
        meta = read_meta(url)
        keys = ["scale", "seed"] if os.environ.get("BENCH_REUSE") == "force" else list(wanted)
        if meta and all(meta.get(k) == wanted[k] for k in keys):
            print(f"reusing {url.rsplit('/', 1)[-1]} ({meta.get('counts')})", flush=True)
            return meta
    recreate_database(url)
    t0 = time.perf_counter()
    run_child(["manage.py", "migrate", "--run-syncdb", "--verbosity", "0"], url)
    schema_s = time.perf_counter() - t0
    run_child(
        [
            "bench/generate.py",
            "--partnerships",
            str(scale),
            "--seed",
            str(seed),
            "--output",
            f"generate_{scale}x",
            # P001 also answers on the loopback names the test client and the load use.
            "--first-hosts",
            "testserver,127.0.0.1,localhost",
        ],
        url,
    )
    generated = load_result(f"generate_{scale}x")
    meta = {**wanted, **generated, "schema_seconds": round(schema_s, 1)}
    write_meta(url, meta)
    return meta


def main() -> int:
    parser = argparse.ArgumentParser(description="Run every benchmark (make bench).")
    parser.add_argument("--only", nargs="*", choices=STEPS, default=None)
    parser.add_argument("--scales", default=os.environ.get("BENCH_SCALES", "1,10,150"))
    args = parser.parse_args()
    steps = args.only or STEPS
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    seed = int(os.environ.get("BENCH_SEED", "1"))
    repeats = os.environ.get("BENCH_REPEATS", "30")
    reuse = os.environ.get("BENCH_REUSE", "") in {"1", "true", "yes", "force"}
    reuse = reuse or "generate" not in steps
    largest = max(scales)
    started = time.perf_counter()

    if not os.environ.get("BENCH_NO_MIGRATIONS"):
        os.environ["BENCH_NO_MIGRATIONS"] = "0" if migrations_current() else "1"
    if os.environ["BENCH_NO_MIGRATIONS"] == "1":
        print("migrations lag the models: building the bench schema from the models", flush=True)

    # DEBUG is off, as in production: static files are collected and hashed first.
    run_child(["manage.py", "collectstatic", "--noinput", "--verbosity", "0"], db_url("1x"))

    summary: dict = {"machine": machine(), "scales": scales, "seed": seed, "steps": steps}
    generated = {}
    for scale in scales:
        generated[f"{scale}x"] = prepare_scale(scale, seed, reuse)
    summary["generated"] = generated
    write_result("generate", generated)

    if "pages" in steps:
        # Rounds interleaved over the scales (1x, 10x, 150x, 1x, ...), so a busy spell of the
        # machine falls on every scale alike; each page's figure is the median of its rounds.
        from bench.pages import merge_rounds

        rounds = int(os.environ.get("BENCH_PAGE_ROUNDS", "3"))
        runs: dict[str, list[dict]] = {f"{scale}x": [] for scale in scales}
        for number in range(1, rounds + 1):
            for scale in scales:
                label = f"{scale}x"
                output = f"pages_{label}_r{number}"
                run_child(
                    ["bench/pages.py", "--label", label, "--repeats", repeats, "--output", output],
                    app_role_url(db_url(label)),
                )
                runs[label].append(load_result(output))
        write_result("pages", {label: merge_rounds(found) for label, found in runs.items()})

    if "views" in steps:
        # First views against repeat views and the results page's floor (bench/views.py).
        for scale in sorted({min(scales), largest}):
            label = f"{scale}x"
            run_child(
                ["bench/views.py", "--label", label, "--repeats", repeats],
                app_role_url(db_url(label)),
            )

    if "sql" in steps:
        # At the smallest scale the question-item table holds one partnership's set (a page or
        # two); at the largest, every partnership's: the plan shapes of both are measured. As
        # the generator's role (ANALYZE and VACUUM of the padding need the tables' owner).
        for scale in sorted({min(scales), largest}):
            run_child(["bench/sql.py", "--label", f"{scale}x"], db_url(f"{scale}x"))

    if "pdf" in steps:
        if (ROOT / "bench" / "bench_pdf.py").exists():
            # Its own database with the demo partnership (the "demo" briefing).
            url = db_url("pdf")
            recreate_database(url)
            run_child(["manage.py", "migrate", "--run-syncdb", "--verbosity", "0"], url)
            run_child(["manage.py", "load_demo"], url, DEBUG="false")
            run_child(["bench/pdf.py", "--repeats", os.environ.get("BENCH_PDF_REPEATS", "5")], url)
        else:
            print("bench/bench_pdf.py is not there yet: PDF benchmark skipped", flush=True)

    if "render" in steps:
        # In Chromium, on the demo database of the PDF step (made here if that step did not
        # run). Before the alerts step, which leaves 300 queued versions behind.
        url = db_url("pdf")
        if "pdf" not in steps:
            recreate_database(url)
            run_child(["manage.py", "migrate", "--run-syncdb", "--verbosity", "0"], url)
            run_child(["manage.py", "load_demo"], url, DEBUG="false")
        run_child(["bench/render_seen.py"], url)

    if "alerts" in steps:
        # On the demo database of the PDF step (made here if that step did not run).
        url = db_url("pdf")
        if not {"pdf", "render"} & set(steps):
            recreate_database(url)
            run_child(["manage.py", "migrate", "--run-syncdb", "--verbosity", "0"], url)
            run_child(["manage.py", "load_demo"], url, DEBUG="false")
        run_child(["bench/alerts.py"], url)

    if "load" in steps:
        # BENCH_LOAD_SCALES (default: every scale run, smallest first) picks the databases.
        load_scales = os.environ.get("BENCH_LOAD_SCALES", ",".join(str(s) for s in scales))
        for scale in [int(s) for s in load_scales.split(",") if s.strip()]:
            label = f"{scale}x"
            run_child(["bench/load.py", "--label", label], app_role_url(db_url(label)))

    if "ramp" in steps:
        # Last: it runs longest and leaves many returns submitted behind it.
        label = f"{os.environ.get('BENCH_RAMP_SCALE', largest)}x"
        run_child(["bench/ramp.py", "--label", label], app_role_url(db_url(label)))

    summary["seconds"] = round(time.perf_counter() - started, 1)
    summary["machine_after"] = machine()
    write_result("summary", summary)
    from bench import report

    report.main()
    print(f"make bench done in {summary['seconds']} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
