"""Markdown tables of the latest results (bench/results/*.json) for docs/benchmarks.md.

.venv/bin/python bench/report.py            # prints, and writes bench/results/report.md
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS, load_result

PAGE_TITLES = {
    "my_returns": "My returns (practitioner)",
    "return_form": "Return form (practitioner)",
    "progress_matrix": "Progress matrix (business team)",
    "results": "Results of one audit (business team)",
    "action_tracker": "Action tracker (business team)",
    "board_dashboard": "Board dashboard (board member)",
    "programme": "Audit programme (business team)",
}


def _fmt(value, suffix: str = "") -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:,.2f}{suffix}"
    if isinstance(value, int):
        return f"{value:,}{suffix}"
    return f"{value}{suffix}"


def _ordered(data: dict) -> list[str]:
    """Scale labels smallest first ("1x", "10x", "100x")."""
    return sorted(data, key=lambda label: int(label.rstrip("x")))


def generation() -> list[str]:
    data = load_result("generate")
    if not data:
        return []
    labels = _ordered(data)
    lines = [
        "| | " + " | ".join(labels) + " |",
        "|---|" + "---:|" * len(labels),
    ]
    keys = [
        "partnerships",
        "agencies",
        "users",
        "audits",
        "cases",
        "returns",
        "answers",
        "ticks",
        "record_references",
        "findings",
        "actions",
    ]
    for key in keys:
        row = [_fmt(data[label].get("counts", {}).get(key)) for label in labels]
        lines.append(f"| {key.replace('_', ' ')} | " + " | ".join(row) + " |")
    for key in ("answers_ticks", "record_references", "total"):
        row = [_fmt(data[label].get("timings", {}).get(key), " s") for label in labels]
        name = {"answers_ticks": "time: answers + ticks (COPY)", "total": "time: total"}.get(
            key, "time: record references (Fernet)"
        )
        lines.append(f"| {name} | " + " | ".join(row) + " |")
    return lines


# Issue 14: with many partnerships as tenants, each page's p95 within this of one partnership's.
TENANT_P95_TARGET = 1.2


def pages() -> list[str]:
    data = load_result("pages")
    if not data:
        return []
    labels = _ordered(data)
    head = " | ".join(f"{label} median / p95 (ms)" for label in labels)
    lines = [
        f"| page | {head} | queries ({', '.join(labels)}) "
        f"| p95 {labels[-1]} ÷ {labels[0]} (target ≤ {TENANT_P95_TARGET}×) |",
        "|---|" + "---:|" * (len(labels) + 2),
    ]
    for name, title in PAGE_TITLES.items():
        cells, queries, p95s = [], [], []
        for label in labels:
            page = data[label].get("pages", {}).get(name, {})
            if "median_ms" in page:
                cells.append(f"{page['median_ms']:.0f} / {page['p95_ms']:.0f}")
                queries.append(
                    "/".join(str(q) for q in page.get("queries_every_round", []))
                    or str(page["queries"])
                )
                p95s.append(page["p95_ms"])
            else:
                cells.append(page.get("skipped") or page.get("error", "–")[:40])
                queries.append("–")
        growth = f"{p95s[-1] / p95s[0]:.2f}×" if len(p95s) == len(labels) and p95s[0] else "–"
        lines.append(f"| {title} | " + " | ".join(cells) + f" | {', '.join(queries)} | {growth} |")
    first = data[labels[0]]
    rounds = first.get("rounds", 1)
    role = first.get("database_role", {})
    lines += [
        "",
        f"Each figure is the median of {rounds} rounds run interleaved over the scales; "
        f"load average at the start of each round: "
        + "; ".join(f"{label} {data[label].get('machine_rounds')}" for label in labels)
        + f". Requests sent to `{first.get('host', '?')}` (partnership P001) as the database "
        f"role `{role.get('name', '?')}` (superuser: {role.get('superuser')}, bypasses "
        f"row-level security: {role.get('bypassrls')}).",
    ]
    return lines


def _pages(n) -> str:
    return "1 page" if n == 1 else f"{n if n is not None else '?'} pages"


def results_vs_sql() -> list[str]:
    scales = load_result("summary").get("scales", [])
    found = [load_result(f"results_vs_sql_{scale}x") for scale in sorted(set(scales))]
    found = [data for data in found if data] or [load_result("results_vs_sql")]
    lines: list[str] = []
    for data in found:
        if data:
            lines += ([""] if lines else []) + _results_vs_sql(data)
    return lines


def _results_vs_sql(data: dict) -> list[str]:
    audit = data["audit"]
    target = data.get("target_ratio", 1.3)
    shapes = data.get("shapes") or [
        {"shape": "one question set", **{k: data[k] for k in ("service", "hand_sql")}}
        | {"ratio_service_to_sql": data["ratio_service_to_sql"]}
    ]
    lines = [
        "| plan shape | hand SQL's joins | `audit_results` median / p95 (ms) "
        "| one SQL query median / p95 (ms) | ratio | load average |",
        "|---|---|---:|---:|---:|---|",
    ]
    for shape in shapes:
        lines.append(
            f"| {shape['shape']} (question items on {_pages(shape.get('item_table_pages'))}) "
            f"| {', '.join(shape.get('hand_sql_joins', []))} | "
            f"{shape['service']['median_ms']} / {shape['service']['p95_ms']} | "
            f"{shape['hand_sql']['median_ms']} / {shape['hand_sql']['p95_ms']} | "
            f"**{shape['ratio_service_to_sql']}** (target ≤ {target}) | "
            f"{shape.get('loadavg', '')} |"
        )
    lines += [
        "",
        f"Audit {audit['audit_id']}: {audit['submitted_returns']} submitted returns, "
        f"{audit['answers']:,} answers, in a database of {audit['answers_in_database']:,} "
        f"answers ({data['label']}); {data['repeats']} interleaved repeats per shape; figures "
        f"equal: **{data['figures_equal']}**.",
    ]
    return lines


def pdf() -> list[str]:
    data = load_result("pdf")
    if not data:
        return []
    lines = [
        "| briefing | pages | project path (median s) | WeasyPrint alone, same options (s) "
        "| WeasyPrint alone, defaults (s) | ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in ("demo", "large"):
        row = data.get(name) or {}
        lines.append(
            f"| {name} | {_fmt(row.get('pages'))} | {_fmt(row.get('project_median_s'))} | "
            f"{_fmt(row.get('weasyprint_median_s'))} | "
            f"{_fmt(row.get('weasyprint_untagged_median_s'))} | {_fmt(row.get('ratio'))} |"
        )
    lines.append("")
    lines.append(f"{data.get('repeats')} repeats each; demo: {data.get('demo_source')}.")
    return lines


def alerts() -> list[str]:
    data = load_result("alerts")
    if not data:
        return []
    lines = [
        f"Concern raised → every alert handed to the mail backend, while {data.get('renders')} "
        "briefing PDFs are queued (first try failed, so the alert waits for its task):",
        "",
        "| shape | median s | runs (s) | renders still queued when sent |",
        "|---|---:|---|---|",
    ]
    for shape, rows in (data.get("runs") or {}).items():
        lines.append(
            f"| {shape} | {_fmt(data['median_seconds'].get(shape))} | "
            f"{', '.join(_fmt(r['seconds']) for r in rows)} | "
            f"{', '.join(str(r['renders_still_queued_when_sent']) for r in rows)} |"
        )
    lines.append("")
    lines.append(
        f"One queue ÷ by urgency, medians of the same run: "
        f"{_fmt(data.get('ratio_one_queue_to_by_urgency'))}; target ≤ "
        f"{_fmt(data.get('target_seconds'))} s by urgency; load average "
        f"{(data.get('machine') or {}).get('loadavg')} at the end."
    )
    return lines


def load() -> list[str]:
    lines: list[str] = []
    scales = load_result("summary").get("scales", [])
    for label in [f"{scale}x" for scale in scales]:
        data = load_result(f"load_{label}")
        if data:
            lines += [f"#### Data {label}", "", *_load(data), ""]
    return lines


def _load(data: dict) -> list[str]:
    cfg, total, saves = data["config"], data["total"], data["saves"]
    lines = [
        f"{cfg['practitioners']} practitioners + {cfg['business']} business users, "
        f"{cfg['seconds']} s, spawn rate {cfg['spawn_rate']}/s, think time "
        f"{cfg['think_time_s'][0]}–{cfg['think_time_s'][1]} s, gunicorn "
        f"{cfg['gunicorn_workers']} workers, "
        + (
            "Redis cache and broker with one Celery worker (as deployed)"
            if cfg.get("redis")
            else "no Redis (a cache per gunicorn worker, tasks run in the request)"
        )
        + f"; load average before {data['machine'].get('loadavg')}.",
        "",
        "| request | count | failures | rps | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in sorted(data["by_request"].items()):
        lines.append(
            f"| {name} | {row['requests']} | {row['failures']} | {row['rps']} | "
            f"{row['median_ms']:.0f} | {row['p95_ms']:.0f} | {row['p99_ms']:.0f} |"
        )
    lines.append(
        f"| **all** | **{total.get('requests')}** | **{total.get('failures')}** | "
        f"**{total.get('rps')}** | **{total.get('median_ms', 0):.0f}** | "
        f"**{total.get('p95_ms', 0):.0f}** | **{total.get('p99_ms', 0):.0f}** |"
    )
    lines.append("")
    lines.append(
        f"Acknowledged saves: {saves['acknowledged_saves']} autosaves and "
        f"{saves['acknowledged_submissions']} submissions over {saves['returns_checked']} "
        f"returns; **lost: {saves['lost']}**."
    )
    return lines


def ramp() -> list[str]:
    """The capacity ramp (bench/ramp.py), one row a step."""
    lines: list[str] = []
    for path in sorted(RESULTS.glob("ramp_*.json")):
        data = load_result(path.stem)
        if not data.get("steps"):
            continue
        wait = data.get("think_time_s") or ["?", "?"]
        lines += [
            f"#### Ramp {data.get('label')}",
            "",
            f"{data.get('seconds_per_step')} s a step, think time {wait[0]}–{wait[1]} s, "
            f"production shape (gunicorn, Redis, the two Celery workers of compose); "
            f"load average at start {(data.get('machine') or {}).get('loadavg')}.",
            "",
            "| practitioners + business | requests | rps | p50 ms | p95 ms | slowest p95 "
            "| errors | lost | load average before | passed |",
            "|---|---:|---:|---:|---:|---|---:|---:|---|---|",
        ]
        for row in data["steps"]:
            lines.append(
                f"| {row['practitioners']} + {row['business']} | {row['requests']} | "
                f"{row['rps']} | {row['median_ms'] or 0:.0f} | {row['p95_ms'] or 0:.0f} | "
                f"{row['slowest_request']} {row['slowest_p95_ms'] or 0:.0f} | {row['errors']} | "
                f"{row['lost']} | {row['loadavg_before']} | {'yes' if row['passed'] else 'no'} |"
            )
        lines += [
            "",
            f"Capacity: **{data.get('capacity_practitioners')} practitioners** at p95 ≤ "
            f"{data.get('target_p95_ms') or 0:.0f} ms ({data.get('stopped_because')}).",
            "",
        ]
    return lines


def _verdict(value, target, *, at_most: bool = True) -> str:
    if value is None:
        return "not measured"
    met = value <= target if at_most else value >= target
    return "**met**" if met else "**missed**"


def targets() -> list[str]:
    """Every target of issues 14 and 19 against this run's figures (docs/benchmarks.md)."""
    scales = sorted(load_result("summary").get("scales", []))
    if not scales:
        return []
    small, large = f"{scales[0]}x", f"{scales[-1]}x"
    rows: list[tuple[str, str, str]] = []
    pages = load_result("pages")
    if small in pages and large in pages:
        ratios, same = [], True
        for name in PAGE_TITLES:
            a = pages[small]["pages"].get(name, {})
            b = pages[large]["pages"].get(name, {})
            if "p95_ms" in a and "p95_ms" in b and a["p95_ms"]:
                ratios.append((b["p95_ms"] / a["p95_ms"], PAGE_TITLES[name]))
                same &= a.get("queries_every_round", [a["queries"]]) == b.get(
                    "queries_every_round", [b["queries"]]
                )
        worst = max(ratios) if ratios else None
        rows.append(
            (
                f"every key page: p95 at {large} ÷ {small} ≤ {TENANT_P95_TARGET}× (issue 14)",
                f"worst {worst[0]:.2f}× ({worst[1]})" if worst else "–",
                _verdict(worst[0] if worst else None, TENANT_P95_TARGET),
            )
        )
        rows.append(
            (
                f"every key page: the same query count at {small} and {large}",
                "the same" if same else "differs",
                "**met**" if same else "**missed**",
            )
        )
        for name, title in (("results", "results page"), ("board_dashboard", "dashboard")):
            size = pages[large]["pages"].get(name, {}).get("bytes")
            kb = size / 1024 if size else None
            rows.append(
                (
                    f"{title} weight ≤ 120 KB uncompressed",
                    f"{kb:.0f} KB" if kb else "–",
                    _verdict(kb, 120),
                )
            )
    views = load_result(f"views_{large}")
    if views:
        r = views["ratios"]
        rows += [
            (
                "results page, first view after a change ÷ floor ≤ 1.5",
                f"{r['results_first_to_floor']} (floor {views['floor_ms']} ms)",
                _verdict(r["results_first_to_floor"], 1.5),
            ),
            (
                "results page, repeat view ÷ floor ≤ 1.3",
                f"{r['results_repeat_to_floor']}",
                _verdict(r["results_repeat_to_floor"], 1.3),
            ),
            (
                "dashboards, first view ÷ repeat view ≤ 1.2",
                f"board {r['board_dashboard_first_to_repeat']}, business "
                f"{r['business_dashboard_first_to_repeat']}",
                _verdict(
                    max(
                        r["board_dashboard_first_to_repeat"],
                        r["business_dashboard_first_to_repeat"],
                    ),
                    1.2,
                ),
            ),
        ]
    render = load_result("render_seen")
    if render:
        seen = render["median"]["click_to_seen_s"]
        rows.append(
            (
                "click Render PDF → ready shown in the browser ≤ 1.0 s",
                f"{seen} s (the render {render['median']['click_to_finished_s']} s, then "
                f"{render['median']['finished_to_seen_s']} s to show it)",
                _verdict(seen, 1.0),
            )
        )
    alerts_data = load_result("alerts")
    if alerts_data:
        urgent = alerts_data["median_seconds"].get("by urgency")
        rows.append(
            (
                "concern raised → e-mail handed over, during a 50-render burst ≤ 2 s",
                f"{urgent} s (one queue: {alerts_data['median_seconds'].get('one queue')} s)",
                _verdict(urgent, 2.0),
            )
        )
    worst_sql = []
    for label in dict.fromkeys([small, large]):
        data = load_result(f"results_vs_sql_{label}")
        for shape in data.get("shapes", []):
            worst_sql.append((shape["ratio_service_to_sql"], f"{label}, {shape['shape']}"))
    if worst_sql:
        rows.append(
            (
                "results service ÷ one SQL query ≤ 1.3, every plan shape",
                ", ".join(f"{ratio} ({where})" for ratio, where in worst_sql),
                _verdict(max(worst_sql)[0], 1.3),
            )
        )
    ramp_data = load_result(f"ramp_{large}")
    if ramp_data.get("steps"):
        at_50 = next((row for row in ramp_data["steps"] if row["practitioners"] >= 50), None)
        if at_50:
            rows.append(
                (
                    "load, 50 practitioners + 10 business, stress think time: 0 errors, "
                    "0 lost saves, p95 < 300 ms",
                    f"{at_50['practitioners']} + {at_50['business']}: errors "
                    f"{at_50['errors']}, lost {at_50['lost']}, p95 {at_50['p95_ms']} ms",
                    "**met**" if at_50["passed"] else "**missed**",
                )
            )
        rows.append(
            (
                "capacity: practitioners where p95 passes 300 ms (stress think time)",
                f"{ramp_data['capacity_practitioners']} practitioners passed; the next step "
                f"did not ({ramp_data['stopped_because']})",
                "measured",
            )
        )
    lines = ["| target | this run | |", "|---|---|---|"]
    lines += [f"| {target} | {value} | {verdict} |" for target, value, verdict in rows]
    return lines


def main() -> str:
    summary = load_result("summary")
    machine = summary.get("machine", {})
    page_runs = list(load_result("pages").values())
    postgres = page_runs[0].get("postgresql", "?") if page_runs else "?"
    parts = [
        f"Machine: {machine.get('nproc')} CPUs ({machine.get('cpu')}), "
        f"{machine.get('memory_gib')} GiB; load average at start {machine.get('loadavg')}; "
        f"PostgreSQL {postgres}.",
        "",
        "### Against the targets",
        *targets(),
        "",
        "### Generated data",
        *generation(),
        "",
        "### Key pages (test client, server time)",
        *pages(),
        "",
        "### Results of one audit: service against one SQL query",
        *results_vs_sql(),
        "",
        "### Briefing PDF",
        *pdf(),
        "",
        "### Alerts during a render burst (queues by urgency)",
        *alerts(),
        "",
        "### Load (Locust against gunicorn + PostgreSQL)",
        *load(),
        "",
        "### Capacity ramp (stress think time)",
        *ramp(),
    ]
    text = "\n".join(parts) + "\n"
    (RESULTS / "report.md").write_text(text)
    print(text)
    return text


if __name__ == "__main__":
    main()
