"""The static build production pages need: bin/build-static (what the Dockerfile and CI's smoke
test run) writes the manifest, and pages under production settings name hashed files from it.

Before this, the image collected static files with DEBUG on (plain storage, no manifest), and
with DEBUG off every page, the sign-in page included, was a 500 ("Missing staticfiles manifest
entry for 'favicon.svg'").
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "auditportal.settings",
    "DEBUG": "false",
    "SECRET_KEY": "static-build-test-only-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEF",
    "FIELD_ENCRYPTION_SALT": "static-build-test-only",
    "ALLOWED_HOSTS": "audit.example.org",
}
SIGN_IN_PAGE = """
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from cases.models import Partnership
call_command("migrate", verbosity=0)
partnership = Partnership.objects.create(name="Riverbend", slug="riverbend")
partnership.hosts.create(host="audit.example.org")
response = Client().get("/accounts/sign-in/", secure=True, HTTP_HOST="audit.example.org")
print(response.status_code)
print(response.content.decode())
"""


def production_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "PYTEST_CURRENT_TEST"}}
    return {
        **env,
        **PRODUCTION,
        "STATIC_ROOT": str(tmp_path / "staticfiles"),
        # A fresh database with one partnership answering on the host (the request's tenant).
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    }


def test_build_static_writes_a_manifest_that_production_pages_use(tmp_path):
    env = production_env(tmp_path)

    build = subprocess.run(
        ["bash", "bin/build-static"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    page = subprocess.run(
        [sys.executable, "-c", SIGN_IN_PAGE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert build.returncode == 0, build.stdout + build.stderr
    manifest = json.loads((tmp_path / "staticfiles" / "staticfiles.json").read_text())
    assert re.fullmatch(r"favicon\.[0-9a-f]{12}\.svg", manifest["paths"]["favicon.svg"])
    status, html = page.stdout.split("\n", 1)
    assert status == "200", page.stdout + page.stderr
    assert f'href="/static/{manifest["paths"]["favicon.svg"]}"' in html
    assert f'href="/static/{manifest["paths"]["css/app.css"]}"' in html
    assert f'src="/static/{manifest["paths"]["js/app.js"]}"' in html


def test_the_image_builds_static_files_with_the_shared_script():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert "RUN bin/build-static" in dockerfile
    assert "collectstatic" not in dockerfile
