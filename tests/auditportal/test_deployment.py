"""Docker does not run here: these tests read docker-compose.yml and the Dockerfile against
the settings, so the production shape cannot drift from what settings.py reads."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_SOURCE = (ROOT / "auditportal/settings.py").read_text()
SETTINGS_VARIABLES = set(
    re.findall(r'env_(?:str|bool|int|list|choice)\(\s*"([A-Z_]+)"', SETTINGS_SOURCE)
)


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_every_service_with_a_healthcheck():
    services = compose()["services"]

    assert set(services) == {"postgres", "redis", "web", "worker", "beat", "relay"}
    assert all("healthcheck" in service for service in services.values())


def test_app_services_read_only_variables_the_settings_know():
    services = compose()["services"]
    for name in ("web", "worker", "beat", "relay"):
        environment = services[name]["environment"]

        assert set(environment) <= SETTINGS_VARIABLES, set(environment) - SETTINGS_VARIABLES
        assert environment["DEBUG"] == "false"
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert environment["DATABASE_URL"].startswith("postgres://auditportal:")
        assert environment["DATABASE_URL"].endswith("@postgres:5432/auditportal")


def test_required_secrets_have_no_default():
    environment = compose()["services"]["web"]["environment"]

    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_SALT", "ALLOWED_HOSTS"):
        assert ":?" in environment[name], name


def test_worker_and_beat_run_the_project_celery_app_and_share_media_with_web():
    services = compose()["services"]

    assert services["worker"]["command"][:4] == ["celery", "-A", "auditportal", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "auditportal", "beat"]
    assert services["relay"]["command"][:3] == ["python", "manage.py", "relay_outbox"]
    assert "auditportal.wsgi:application" in services["web"]["command"]
    assert services["web"]["volumes"] == services["worker"]["volumes"] == ["media:/data/media"]
    assert services["web"]["environment"]["MEDIA_ROOT"] == "/data/media"


def test_app_services_wait_for_healthy_database_and_broker():
    for name in ("web", "worker", "beat", "relay"):
        depends = compose()["services"][name]["depends_on"]

        assert depends == {
            "postgres": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }


def test_dockerfile_installs_the_project_and_weasyprint_libraries():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert dockerfile.startswith("# ") and "FROM python:3.11" in dockerfile
    assert "libpango-1.0-0" in dockerfile
    assert "pip install ." in dockerfile
    assert "collectstatic" in dockerfile


def test_healthz_answers_without_a_known_host(client, db, settings):
    settings.ALLOWED_HOSTS = ["audit.example.org"]

    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")

    assert response.status_code == 200
    assert response.content == b"ok"
