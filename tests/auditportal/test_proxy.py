"""X-Forwarded-Proto is believed only behind the TLS proxy (BEHIND_PROXY): by Django
(SECURE_PROXY_SSL_HEADER) and by gunicorn (gunicorn.conf.py). Otherwise any client could send
`X-Forwarded-Proto: https` and be taken for an HTTPS request."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "auditportal.settings",
    "DEBUG": "false",
    "SECRET_KEY": "proxy-test-only-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ",
    "FIELD_ENCRYPTION_SALT": "proxy-test-only",
    "ALLOWED_HOSTS": "audit.example.org",
}


def clean_env(**env: str) -> dict[str, str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"BEHIND_PROXY", "FORWARDED_ALLOW_IPS", "WEB_BIND", "PYTEST_CURRENT_TEST"}
    }
    return {**base, **PRODUCTION, **env}


def run_in_project(argv: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        argv, env=clean_env(**env), capture_output=True, text=True, cwd=ROOT, timeout=60
    )


GUNICORN = str(Path(sys.executable).parent / "gunicorn")
PRINT_CONFIG = [GUNICORN, "--print-config", "--config", "gunicorn.conf.py"]


def django_proxy_header(**env: str) -> str:
    code = "import django;django.setup();from django.conf import settings as s;" + (
        "print(s.BEHIND_PROXY, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = run_in_project([sys.executable, "-c", code], **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def gunicorn_config(**env: str) -> dict[str, str]:
    result = run_in_project([*PRINT_CONFIG, "auditportal.wsgi:application"], **env)
    assert result.returncode == 0, result.stderr
    config = {}
    for line in result.stdout.splitlines():
        name, _, value = line.partition("=")
        config[name.strip()] = value.strip()
    return config


def test_django_ignores_forwarded_proto_unless_behind_a_proxy():
    assert django_proxy_header() == "False None"
    assert django_proxy_header(BEHIND_PROXY="true") == "True ('HTTP_X_FORWARDED_PROTO', 'https')"


def test_gunicorn_believes_no_client_about_the_scheme_unless_behind_a_proxy():
    alone = gunicorn_config()
    proxied = gunicorn_config(BEHIND_PROXY="true", FORWARDED_ALLOW_IPS="10.0.0.5")

    assert (alone["secure_scheme_headers"], alone["forwarded_allow_ips"]) == ("{}", "[]")
    assert proxied["secure_scheme_headers"] == "{'X-FORWARDED-PROTO': 'https'}"
    assert proxied["forwarded_allow_ips"] == "['10.0.0.5']"


def test_gunicorn_settings_come_from_the_environment():
    config = gunicorn_config(WEB_BIND="0.0.0.0:8000", WEB_WORKERS="5", WEB_TIMEOUT="90")

    assert config["bind"] == "['0.0.0.0:8000']"
    assert (config["workers"], config["timeout"]) == ("5", "90")
    assert config["accesslog"] == "-"
    assert config["logger_class"] == "auditportal.gunicorn_logging.RedactingLogger"


def test_gunicorn_defaults_to_loopback():
    assert gunicorn_config()["bind"] == "['127.0.0.1:8000']"


def test_gunicorn_refuses_a_bad_setting_naming_it():
    result = run_in_project(PRINT_CONFIG, WEB_WORKERS="many")

    assert result.returncode != 0
    assert "WEB_WORKERS must be a whole number (got 'many')" in result.stdout + result.stderr


@pytest.fixture
def https_only(settings):
    settings.SECURE_SSL_REDIRECT = True
    return settings


def test_forged_forwarded_proto_does_not_make_a_request_https(https_only, client, db):
    assert https_only.SECURE_PROXY_SSL_HEADER is None  # the default: BEHIND_PROXY off

    response = client.get("/accounts/sign-in/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/sign-in/"


def test_forwarded_proto_from_the_proxy_makes_a_request_https(https_only, client, db):
    https_only.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    response = client.get("/accounts/sign-in/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
