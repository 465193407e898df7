import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from auditportal.env import env_bool, env_choice, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x9!k2Lq7#vB4mN8pR1sT6wY3zA5cE0gH-jU2iO9lP4kM7nB-tests-only-7f3a9",
    "FIELD_ENCRYPTION_SALT": "salt-for-tests-only",
    "ALLOWED_HOSTS": "audit.example.org",
}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DEMO_MODE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean.pop("PYTEST_CURRENT_TEST", None)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**clean, "DJANGO_SETTINGS_MODULE": "auditportal.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_env_bool_reads_true_and_false(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", True) is False


def test_env_bool_rejects_unknown_value_naming_variable(monkeypatch):
    monkeypatch.setenv("FLAG", "perhaps")

    with pytest.raises(ImproperlyConfigured, match="FLAG must be true or false"):
        env_bool("FLAG")


def test_env_int_rejects_text_and_values_below_minimum(monkeypatch):
    monkeypatch.setenv("NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="NUMBER must be a whole number"):
        env_int("NUMBER", 1)
    monkeypatch.setenv("NUMBER", "0")
    with pytest.raises(ImproperlyConfigured, match="NUMBER must be at least 1"):
        env_int("NUMBER", 5, minimum=1)


def test_env_list_splits_and_strips(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example , b.example,,")

    assert env_list("HOSTS") == ["a.example", "b.example"]


def test_env_choice_rejects_unknown_backend(monkeypatch):
    monkeypatch.setenv("EMAIL_BACKEND", "pigeon")

    with pytest.raises(ImproperlyConfigured, match="EMAIL_BACKEND must be one of"):
        env_choice("EMAIL_BACKEND", {"smtp": "x"}, "smtp")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "false", "SECRET_KEY": ""}, "SECRET_KEY must be set when DEBUG is off"),
        ({"DEBUG": "sometimes"}, "DEBUG must be true or false"),
        ({"DEBUG": "true", "DATABASE_URL": "mysql://db/x"}, "DATABASE_URL must be a postgres://"),
        ({"DEBUG": "true", "DATABASE_URL": "nonsense"}, "DATABASE_URL"),
        ({"DEBUG": "true", "REDIS_URL": "http://cache"}, "REDIS_URL must start with redis://"),
        ({"DEBUG": "true", "EMAIL_PORT": "twenty-five"}, "EMAIL_PORT must be a whole number"),
        ({**PRODUCTION, "FIELD_ENCRYPTION_SALT": ""}, "FIELD_ENCRYPTION_SALT must be set"),
    ],
)
def test_bad_setting_stops_start_up_naming_the_variable(env, message):
    result = run_manage("check", **env)

    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_production_settings_pass_check_deploy():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_use_secure_cookie_names():
    code = (
        "import django;django.setup();from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SECURE_HSTS_SECONDS, s.X_FRAME_OPTIONS)"
    )
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "auditportal.settings"},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )

    assert result.stdout.split() == ["__Secure-sessionid", "__Secure-csrftoken", "31536000", "DENY"]
