"""Shared pieces of the production checks (`make smoke`, `make backup-test`).

- docker-compose.yml read the way compose reads it: each service's command, healthcheck and
  environment (with `${VAR:?...}` / `${VAR:-default}` filled from the values a deployment's
  .env would hold), so the checks run what compose runs;
- throwaway PostgreSQL databases named after DATABASE_URL's (`<name>_smoke`, ...);
- processes that are always stopped (by their own id and process group, never by name);
- the HTTP client they talk to the app with is in tests/production/client.py.

Runs on the development virtualenv (psycopg, PyYAML, pypdf, django-otp's TOTP); the app itself
runs in whatever environment the caller starts it with.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/auditportal"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


class CheckFailed(AssertionError):
    """A production check did not hold: the message says what and where."""


def check(condition: object, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def say(message: str) -> None:
    print(f"  {message}", flush=True)


# docker-compose.yml ---------------------------------------------------------------------------

_VARIABLE = re.compile(r"\$\{(\w+)(?:(:\?|:-)([^}]*))?\}")


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's substitution: ${X}, ${X:-default}, ${X:?error} (error when X is unset or empty)."""

    def substitute(match: re.Match) -> str:
        name, operator, argument = match.group(1), match.group(2), match.group(3)
        current = variables.get(name, "")
        if operator == ":?" and not current:
            raise CheckFailed(f"docker-compose.yml needs {name}: {argument}")
        if operator == ":-" and not current:
            return argument
        return current

    return _VARIABLE.sub(substitute, value)


def service_environment(service: str, variables: dict[str, str]) -> dict[str, str]:
    environment = compose()["services"][service].get("environment") or {}
    return {name: interpolate(str(value), variables) for name, value in environment.items()}


def service_command(service: str) -> list[str]:
    command = compose()["services"][service]["command"]
    check(isinstance(command, list), f"{service}'s command must be a list (exec form)")
    return [str(part) for part in command]


def healthcheck_command(service: str) -> list[str]:
    test = compose()["services"][service]["healthcheck"]["test"]
    check(test[0] == "CMD", f"{service}'s healthcheck must be exec form (CMD)")
    return [str(part) for part in test[1:]]


# PostgreSQL -----------------------------------------------------------------------------------


def database_url_with_suffix(base_url: str, suffix: str) -> str:
    """postgres://.../auditportal -> postgres://.../auditportal_<suffix>."""
    parsed = urlparse(base_url)
    check(parsed.scheme.startswith("postgres"), "DATABASE_URL must be a postgres:// URL")
    name = parsed.path.lstrip("/") or "auditportal"
    return urlunparse(parsed._replace(path=f"/{name}_{suffix}"))


def _admin(url: str) -> tuple[str, str]:
    parsed = urlparse(url)
    return urlunparse(parsed._replace(path="/postgres")), parsed.path.lstrip("/")


def recreate_database(url: str) -> None:
    import psycopg

    admin, name = _admin(url)
    check(re.fullmatch(r"\w+_(smoke|backup|restore|rekeyed)\d*", name), f"refusing to drop {name}")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    admin, name = _admin(url)
    check(re.fullmatch(r"\w+_(smoke|backup|restore|rekeyed)\d*", name), f"refusing to drop {name}")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def table_count(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    return int(row[0]) if row else 0


# Processes ------------------------------------------------------------------------------------


def free_port() -> int:
    """SMOKE_PORT, or a free port below Linux's ephemeral range (32768-60999), where the
    suite's live servers and outgoing connections take theirs."""
    if os.environ.get("SMOKE_PORT"):
        return int(os.environ["SMOKE_PORT"])
    import random

    for port in random.sample(range(20000, 32000), 200):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise CheckFailed("no free port between 20000 and 32000")


def clean_environment(path_first: Path | None = None, **extra: str) -> dict[str, str]:
    """What a container starts with: a PATH, HOME, locale and temp dir, and nothing of the
    calling shell's settings (DEBUG, DATABASE_URL, DJANGO_SETTINGS_MODULE, ...)."""
    path = os.environ.get("PATH", "/usr/bin:/bin")
    if path_first is not None:
        path = f"{path_first}{os.pathsep}{path}"
    base = {
        "PATH": path,
        "HOME": os.environ.get("HOME", "/tmp"),  # noqa: S108
        "LANG": "C.UTF-8",
        "TMPDIR": os.environ.get("TMPDIR", "/tmp"),  # noqa: S108
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return {**base, **extra}


def run(argv: list[str], env: dict[str, str], log: Path, *, timeout: int = 600) -> str:
    """Run to completion in the project directory, its output appended to `log`; fail with
    the log's tail. Returns this command's output."""
    with log.open("a") as out:
        out.write(f"$ {' '.join(argv)}\n")
        out.flush()
        start = out.tell()
        result = subprocess.run(
            argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=timeout
        )
    check(result.returncode == 0, f"{' '.join(argv)} failed ({result.returncode}):\n{tail(log)}")
    with log.open() as written:
        written.seek(start)
        return written.read()


def tail(log: Path, lines: int = 40) -> str:
    if not log.exists():
        return "(no log)"
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Service:
    name: str
    process: subprocess.Popen
    log: Path


class Processes:
    """Long-running processes of one check; `stop_all` ends each by its pid (SIGTERM, as
    `docker compose stop` does), then its own process group if anything is left."""

    def __init__(self) -> None:
        self.services: list[Service] = []

    def start(self, name: str, argv: list[str], env: dict[str, str], log: Path) -> Service:
        out = log.open("a")
        out.write(f"$ {' '.join(argv)}\n")
        out.flush()
        process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        out.close()
        service = Service(name, process, log)
        self.services.append(service)
        return service

    def check_running(self) -> None:
        for service in self.services:
            code = service.process.poll()
            check(code is None, f"{service.name} exited ({code}):\n{tail(service.log)}")

    def stop_all(self) -> None:
        for service in reversed(self.services):
            if service.process.poll() is None:
                service.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 30
        for service in reversed(self.services):
            try:
                service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                service.process.kill()
                service.process.wait(timeout=10)
            # Children of this service (gunicorn's workers, Celery's pool) share its group.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(service.process.pid, signal.SIGKILL)
        self.services.clear()


def wait_until(what: str, probe, *, timeout: float, every: float = 0.5, processes=None):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if processes is not None:
            processes.check_running()
        try:
            last = probe()
        except (OSError, http.client.HTTPException) as error:
            last = error
        else:
            if last:
                return last
        time.sleep(every)
    raise CheckFailed(f"{what}: not within {timeout:.0f} s (last: {last!r})")


def run_check(
    title: str,
    body: Callable[[], None],
    *,
    cleanup: Callable[[bool], None],
    logs: Callable[[], list[Path]],
) -> int:
    """Run a production check: its steps, then `cleanup(passed)` whatever happened; on a
    failure, the reason and the tail of each log. Returns the exit status."""
    started = time.monotonic()
    passed = False
    try:
        body()
        passed = True
    except CheckFailed as failure:
        print(f"\n{title.upper()} FAILED: {failure}", file=sys.stderr, flush=True)
    finally:
        cleanup(passed)
    if not passed:
        for log in logs():
            print(f"\n--- {log.name} (last lines) ---\n{tail(log, 30)}", file=sys.stderr)
        return 1
    print(f"{title} passed in {time.monotonic() - started:.0f} s", flush=True)
    return 0


def totp_code(secret_text: str, *, at: float | None = None) -> tuple[str, int]:
    """The 6-digit code of an authenticator holding this base32 key, with its time step."""
    from django_otp.oath import TOTP

    secret = "".join(secret_text.split()).upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key, step=30, t0=0, digits=6, drift=0)
    if at is not None:
        totp.time = at
    return str(totp.token()).zfill(6), totp.t()


def python_of(venv: Path) -> str:
    return str(venv / "bin" / "python")


def dev_python() -> str:
    return sys.executable
