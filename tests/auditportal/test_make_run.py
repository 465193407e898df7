"""`make run` as a newcomer runs it (bin/run on a fresh SQLite file, no Redis): it serves on
PORT, and a refused or unknown URL shows the app's page, not Django's debug page."""

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.production.client import Client
from tests.production.harness import free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def make_run(tmp_path):
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "PYTEST_CURRENT_TEST"}
    }
    env.update(
        {
            "PORT": str(port),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        }
    )
    log = tmp_path / "run.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["bash", "bin/run"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    client = Client(port, f"127.0.0.1:{port}", forwarded_proto=None)
    try:
        wait_until(
            f"make run answers on port {port}:\n{log}",
            lambda: process.poll() is None and client.get("/accounts/sign-in/").status == 200,
            timeout=120,
        )
        yield client, log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_make_run_serves_on_port_and_shows_the_apps_error_pages(make_run):
    client, log = make_run
    home = client.sign_in_with_password("police", "riverbend-demo-2026")

    unknown = client.get("/no-such-page/")
    refused = client.get("/audits/")  # the programme is the business team's
    not_visible = client.get("/audits/returns/999999/")  # the view answers Http404

    assert f"Demo sign-ins at http://127.0.0.1:{client.port}/" in log.read_text()
    assert home.status == 200 and "My returns" in home.text
    assert (unknown.status, refused.status, not_visible.status) == (404, 403, 404)
    assert "<title>Page not found" in unknown.text
    assert "<title>You do not have access to this page" in refused.text
    assert "<title>Page not found" in not_visible.text
    for response in [unknown, refused, not_visible]:
        assert "Sign out" in response.text  # the app's layout, signed in
        assert not re.search(r"URLconf|Django|Traceback|No Return matches", response.text)
