"""Docker does not run here: these tests read docker-compose.yml, the Dockerfile and
.dockerignore against the settings and the bin/ scripts, so the production shape cannot drift
from what settings.py reads and what CI's smoke test runs (tests/production/smoke.py runs
compose's own commands, environment and healthchecks)."""

import fnmatch
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("migrate", "web", "worker", "mail-worker", "beat", "relay")
LONG_RUNNING = ("web", "worker", "mail-worker", "beat", "relay")


def variables_read_in(*paths: str) -> set[str]:
    found = set()
    for path in paths:
        source = (ROOT / path).read_text()
        found |= set(re.findall(r'env_(?:str|bool|int|list|choice)\(\s*"([A-Z_]+)"', source))
        found |= set(re.findall(r"\$\{([A-Z_]+)(?::[-?=][^}]*)?\}", source))
    return found


# What the app's processes read: the settings, gunicorn's settings and the bin/ scripts.
KNOWN_VARIABLES = variables_read_in(
    "auditportal/settings.py",
    "gunicorn.conf.py",
    "bin/start-worker",
    "bin/start-beat",
    "bin/start-relay",
    "bin/healthcheck",
) | {"BEAT_DIR", "WEB_BIND", "RELAY_HEARTBEAT_FILE"}


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def services() -> dict:
    return compose()["services"]


def test_compose_has_the_production_shape():
    assert set(services()) == {
        "postgres",
        "redis",
        "migrate",
        "web",
        "worker",
        "mail-worker",
        "beat",
        "relay",
    }


def test_migrate_runs_once_before_the_app_and_nothing_else_migrates():
    migrate = services()["migrate"]

    assert migrate["command"] == ["bin/migrate"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    for name in LONG_RUNNING:
        service = services()[name]
        assert service["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }, name
        command = " ".join(service["command"])
        script = (ROOT / service["command"][0]).read_text()
        assert "migrate" not in command, name
        assert "migrate" not in re.sub(r"#.*", "", script), name


def test_app_services_run_the_shared_start_scripts():
    commands = {name: services()[name]["command"] for name in APP_SERVICES}
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert commands == {
        "migrate": ["bin/migrate"],
        "web": ["bin/start-web"],
        "worker": ["bin/start-worker", "default"],
        "mail-worker": ["bin/start-worker", "mail"],
        "beat": ["bin/start-beat"],
        "relay": ["bin/start-relay"],
    }
    assert 'CMD ["bin/start-web"]' in dockerfile
    for command in commands.values():
        script = ROOT / command[0]
        assert script.stat().st_mode & 0o111, f"{script} is not executable"
    assert (
        "gunicorn --config gunicorn.conf.py auditportal.wsgi:application"
        in (ROOT / "bin/start-web").read_text()
    )


def test_the_image_builds_with_the_shared_scripts_in_order():
    dockerfile = re.sub(r"(?m)^#.*\n", "", (ROOT / "Dockerfile").read_text())
    runs = re.findall(r"^RUN (bin/[\w-]+)", dockerfile, re.M)

    assert runs == ["bin/install", "bin/build-static"]
    assert "collectstatic" not in dockerfile and "pip install" not in dockerfile
    assert "migrate" not in dockerfile


def test_every_container_has_a_healthcheck_and_the_app_ones_use_the_shared_script():
    for name, service in services().items():
        if name == "migrate":
            assert "healthcheck" not in service
            continue
        assert "healthcheck" in service, name
    for name in LONG_RUNNING:
        check = "worker" if name == "mail-worker" else name
        assert services()[name]["healthcheck"]["test"] == [
            "CMD",
            "python",
            "bin/healthcheck",
            check,
        ]


def test_web_is_published_on_the_hosts_loopback_by_default():
    web = services()["web"]

    assert web["ports"] == ["${WEB_HOST_ADDRESS:-127.0.0.1}:${WEB_HOST_PORT:-8000}:8000"]
    assert web["environment"]["WEB_BIND"] == "0.0.0.0:8000"
    for name in ("postgres", "redis", "migrate", "worker", "mail-worker", "beat", "relay"):
        assert "ports" not in services()[name], name


def test_compose_puts_web_behind_the_tls_proxy():
    environment = services()["web"]["environment"]

    assert environment["BEHIND_PROXY"] == "true"
    assert environment["FORWARDED_ALLOW_IPS"] == "*"


def test_app_services_read_only_variables_the_app_knows():
    for name in APP_SERVICES:
        environment = services()[name]["environment"]

        assert set(environment) <= KNOWN_VARIABLES, set(environment) - KNOWN_VARIABLES
        assert environment["DEBUG"] == "false"
        assert environment["MFA_ENFORCED"] == "true"
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert environment["DATABASE_URL"].startswith("postgres://auditportal:")
        assert environment["DATABASE_URL"].endswith("@postgres:5432/auditportal")


def test_required_secrets_have_no_default():
    environment = services()["web"]["environment"]

    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_SALT", "ALLOWED_HOSTS"):
        assert ":?" in environment[name], name


def test_web_and_worker_share_media():
    assert services()["web"]["volumes"] == services()["worker"]["volumes"] == ["media:/data/media"]
    assert services()["web"]["environment"]["MEDIA_ROOT"] == "/data/media"


def test_the_relay_is_the_outbox_relay_with_its_heartbeat_where_its_healthcheck_looks():
    start_relay = (ROOT / "bin/start-relay").read_text()
    environment = services()["relay"]["environment"]

    assert "exec python manage.py relay_outbox --heartbeat-file" in start_relay
    assert environment["RELAY_HEARTBEAT_FILE"] == "/data/relay-heartbeat"
    assert "RELAY_HEARTBEAT_FILE=/data/relay-heartbeat" in (ROOT / "Dockerfile").read_text()
    assert '"RELAY_HEARTBEAT_FILE"' in (ROOT / "bin/healthcheck").read_text()


def test_make_run_starts_the_same_scripts_with_redis():
    run = (ROOT / "bin/run").read_text()
    with_redis = run[run.index('if [ -n "${REDIS_URL:-}" ]') : run.index("else")]

    for script in ("bin/start-worker", "bin/start-relay", "bin/start-beat"):
        assert script in with_redis, script
    assert not re.search(r"celery |manage\.py", with_redis)


def dockerignore_patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def ignored(path: str) -> bool:
    """Docker's rule for these patterns: a pattern matches the path or a directory above it."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in dockerignore_patterns():
        bare = pattern.rstrip("/")
        for candidate in candidates:
            if fnmatch.fnmatch(candidate, bare) or (
                bare.startswith("**/") and fnmatch.fnmatch(candidate.rsplit("/", 1)[-1], bare[3:])
            ):
                return True
    return False


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_image():
    for path in (
        ".env",
        ".venv/bin/python",
        "db.sqlite3",
        "media/briefings/2026/briefing.pdf",
        "sent-mail/20260101-0000.log",
        ".git/HEAD",
        "test-results/junit.xml",
        "bench/results/pages_1x.json",
        "staticfiles/staticfiles.json",
        "backups/auditportal-20260101T000000Z/database.dump",
        "accounts/__pycache__/models.cpython-311.pyc",
    ):
        assert ignored(path), path


def test_dockerignore_keeps_what_the_image_needs():
    for path in (
        "manage.py",
        "pyproject.toml",
        "README.md",
        "gunicorn.conf.py",
        "bin/start-web",
        "auditportal/settings.py",
        "templates/base.html",
        "static/favicon.svg",
        "audits/templates/audits/x.html",
    ):
        assert not ignored(path), path
