"""Render seen, a step of `make bench` (docs/benchmarks.md): in Chromium, a business team
member presses "Render PDF" on the demo briefing's composer and the bench waits until the
versions table shows the new version as Ready. Against the app as deployed: gunicorn
(`bin/start-web`), one Celery worker (`bin/start-worker all`) and Redis database 15
(BENCH_LOAD_REDIS_URL, flushed before and after). BENCH_RENDER_REPEATS (7) renders.

For each: click → Ready shown in the browser; click → the worker finished (`finished_at`);
and their difference, the lag the page's polling adds. "Shown" is the moment the page's DOM
first held the new version's row as Ready, recorded in the page by a MutationObserver (an
init script on every document), not when Playwright's own polling, which backs off to
500 ms between checks, noticed it. Writes bench/results/render_seen.json.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    ROOT,
    flush_redis,
    free_port,
    machine,
    setup_django,
    stop_processes,
    write_result,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Runs at the start of every document: each time the versions table's first row changes,
# its text and the time (ms since the epoch, the same clock as time.time()) are kept.
WATCH_VERSIONS = """
window.__versionRows = [];
new MutationObserver(() => {
  const row = document.querySelector("#versions tbody tr");
  const text = row ? row.textContent.replace(/\\s+/g, " ") : "";
  const last = window.__versionRows[window.__versionRows.length - 1];
  if (!last || last[1] !== text) window.__versionRows.push([Date.now(), text]);
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url}: the server stopped:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within 90 s")


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    handle = open(log, "ab")  # noqa: SIM115 - the child holds it
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--repeats", type=int, default=int(os.environ.get("BENCH_RENDER_REPEATS", "7"))
    )
    args = parser.parse_args()
    redis_url = os.environ.get("BENCH_LOAD_REDIS_URL", "redis://127.0.0.1:6379/15")
    port = free_port()
    os.environ.update(REDIS_URL=redis_url, CELERY_QUEUE=f"bench-render-{uuid.uuid4().hex[:6]}")
    # This process reads the database while Playwright's sync API runs its event loop.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    flush_redis(redis_url)
    setup_django()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from briefings.models import Briefing, BriefingVersion

    briefing = Briefing.objects.order_by("pk").first()
    business = User.objects.filter(role=User.Role.BUSINESS, is_active=True).order_by("pk").first()
    if not (briefing and business):
        raise SystemExit("needs the demo data (manage.py load_demo)")
    client = Client()
    client.force_login(business)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    # localhost: Chromium keeps the production settings' __Secure- cookies on it over HTTP.
    origin = f"http://localhost:{port}"
    composer = f"{origin}{reverse('briefings:composer', args=[briefing.audit_id])}"

    env = {
        **os.environ,
        "WEB_BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "2",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    logs = ROOT / "bench" / "results" / "render-seen-logs"
    logs.mkdir(parents=True, exist_ok=True)
    worker = start(["bin/start-worker", "all"], {**env, "CELERY_CONCURRENCY": "1"}, logs / "w.log")
    web = start(["bin/start-web"], env, logs / "web.log")
    rows = []
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", web, logs / "web.log")
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context()
            context.add_init_script(WATCH_VERSIONS)
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": session,
                        "domain": "localhost",
                        "path": "/",
                        "secure": settings.SESSION_COOKIE_SECURE,
                        "httpOnly": True,
                    }
                ]
            )
            page = context.new_page()
            page.goto(composer)  # warm: the worker's first render loads WeasyPrint's fonts
            for index in range(args.repeats + 1):
                before = set(
                    BriefingVersion.objects.filter(briefing=briefing).values_list("pk", flat=True)
                )
                clicked = time.time()
                page.get_by_role("button", name="Render PDF").click()
                page.wait_for_load_state()
                version = None
                while version is None:
                    version = (
                        BriefingVersion.objects.filter(briefing=briefing)
                        .exclude(pk__in=before)
                        .first()
                    )
                page.locator("#versions tbody tr").first.filter(has_text="Ready").filter(
                    has_text=str(version.number)
                ).wait_for(timeout=120_000)
                seen = time.time()
                for at_ms, text in page.evaluate("window.__versionRows"):
                    if "Ready" in text and str(version.number) in text:
                        seen = min(seen, at_ms / 1000)
                        break
                version.refresh_from_db()
                row = {
                    "click_to_seen_s": round(seen - clicked, 3),
                    "click_to_finished_s": round(version.finished_at.timestamp() - clicked, 3),
                    "finished_to_seen_s": round(seen - version.finished_at.timestamp(), 3),
                }
                if index:  # the first is the warm-up
                    rows.append(row)
                    print(f"render seen, run {index}: {row}", flush=True)
            browser.close()
    finally:
        stop_processes([web, worker])
        flush_redis(redis_url)

    result = {
        "machine": machine(),
        "repeats": args.repeats,
        "runs": rows,
        "median": {
            key: round(statistics.median(r[key] for r in rows), 3)
            for key in ("click_to_seen_s", "click_to_finished_s", "finished_to_seen_s")
        },
        "target_click_to_seen_s": 1.0,
    }
    write_result("render_seen", result)
    print(f"render seen, medians: {result['median']}", flush=True)


if __name__ == "__main__":
    main()
