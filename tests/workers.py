"""Real processes for the integration and fault tests: a Celery worker, the outbox relay and a
private redis-server, all pointed at the test database. Each is stopped by its own pid."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def need(condition: bool, reason: str) -> None:
    """Skip locally without the service; fail in CI, where it must be there."""
    if not condition:
        if in_ci():
            pytest.fail(f"CI needs {reason}")
        pytest.skip(f"needs {reason}")


def database_url_of_tests() -> str:
    from django.db import connection

    db = connection.settings_dict
    return (
        f"postgres://{db['USER'] or 'postgres'}"
        f"{':' + db['PASSWORD'] if db['PASSWORD'] else ''}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def process_env(*, redis_url: str, queue: str, media_root: str, **extra: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_tests(),
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": queue,
        # The project's settings as deployed (not the suite's, which run tasks in-process),
        # development defaults.
        "DJANGO_SETTINGS_MODULE": "auditportal.settings",
        "DEBUG": "true",
        "MEDIA_ROOT": media_root,
        "PYTHONPATH": str(ROOT),
        # The bin/ scripts run the `python` on PATH: this virtualenv's.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        **extra,
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    return env


def start(command: list[str], *, env: dict, log: Path) -> subprocess.Popen:
    with open(log, "ab") as handle:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)


def worker_command(queue: str, *, node: str = "", mail: bool = True) -> list[str]:
    """A worker of the test's own queue and, unless `mail=False`, its mail queue (the two
    queues by urgency, auditportal/celery.py), as one worker of `make run` takes both."""
    queues = f"{queue},{queue}-mail" if mail else queue
    command = [sys.executable, "-m", "celery", "-A", "auditportal", "worker", "--pool=solo"]
    command += ["--without-heartbeat", "--without-gossip", "--without-mingle", "-Q", queues]
    if node:
        command += ["-n", node]
    return [*command, "--loglevel=INFO"]


def relay_command() -> list[str]:
    """The relay as compose starts it (bin/start-relay), with shorter intervals."""
    return ["bin/start-relay", "--interval=0.3", "--sweep-every=5"]


def wait_for(check, *, timeout: float, what: str, process=None, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        if process is not None and process.poll() is not None:
            break
        time.sleep(0.05)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    pytest.fail(f"{what} did not happen within {timeout:.0f} s\n{tail}")


def start_worker(*, env: dict, queue: str, log: Path, node: str = "") -> subprocess.Popen:
    """A worker, returned once it says it is ready."""
    start_at = log.stat().st_size if log.exists() else 0
    process = start(worker_command(queue, node=node), env=env, log=log)
    wait_for(
        lambda: " ready." in log.read_text(errors="replace")[start_at:],
        timeout=90,
        what="the Celery worker's start",
        process=process,
        log=log,
    )
    return process


def stop(process: subprocess.Popen, *, kill: bool = False) -> None:
    if process.poll() is not None:
        return
    os.kill(process.pid, signal.SIGKILL if kill else signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


class PrivateRedis:
    """A redis-server of the test's own on a free port, stopped and started again by pid."""

    def __init__(self, port: int, log: Path) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        self.process = start(
            [*command, "--save", "", "--appendonly", "no"], env=dict(os.environ), log=self.log
        )
        wait_for(self.answers, timeout=20, what="redis-server's start", log=self.log)

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.2).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None


def private_redis(tmp_path: Path) -> PrivateRedis:
    from tests.queue import free_port

    need(shutil.which("redis-server") is not None, "redis-server on the PATH")
    server = PrivateRedis(free_port(), tmp_path / "redis.log")
    server.start()
    return server
