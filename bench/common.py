"""Shared pieces of the benchmark scripts: databases, child processes, timing, results."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/auditportal_bench"

# Environment of every benchmark process: production settings (DEBUG off), loopback only,
# no Redis (tasks run in-process, the cache is per process: the shared Redis is left alone),
# mail kept in memory, two-factor enforcement off (the bench signs users in directly).
BENCH_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-secret-key-not-for-production-0123456789abcdefghijklmnop",
    "FIELD_ENCRYPTION_SALT": "bench-salt",
    # P001 also answers on the loopback names; every partnership on p<NNN>.bench.localhost.
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver,.bench.localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "MFA_ENFORCED": "false",
    "EMAIL_BACKEND": "locmem",
    "REDIS_URL": "",
    "LOG_LEVEL": "WARNING",
    "AXES_ENABLED": "false",
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "PYTHONPATH": str(ROOT),
}


def base_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL


def db_url(suffix: str) -> str:
    """postgres://.../auditportal_bench -> postgres://.../auditportal_bench_<suffix>."""
    parsed = urlparse(base_url())
    name = parsed.path.lstrip("/") or "auditportal_bench"
    if not name.startswith("auditportal_bench"):
        raise SystemExit("bench databases must be named auditportal_bench*")
    return urlunparse(parsed._replace(path=f"/{name}_{suffix}"))


def _admin_conninfo(url: str) -> tuple[str, str]:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = urlunparse(parsed._replace(path="/postgres"))
    return admin, name


def recreate_database(url: str) -> None:
    import psycopg

    admin, name = _admin_conninfo(url)
    assert name.startswith("auditportal_bench"), name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_exists(url: str) -> bool:
    import psycopg

    admin, name = _admin_conninfo(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


# The role the app's own processes connect as in the bench: neither a superuser nor BYPASSRLS,
# as production must be (docs/security.md), so row-level security binds every page measured.
APP_ROLE = "auditportal_bench_app"


def app_role_url(url: str) -> str:
    """`url` as APP_ROLE (made if missing, given the rights the app needs on that database's
    tables and sequences; the tables stay the generator's). Trust authentication on
    loopback, as the bench's PostgreSQL has."""
    import psycopg

    conninfo = url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE]).fetchone()
        if not exists:
            conn.execute(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS")
        conn.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}")
        conn.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}"
        )
        conn.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}")
    parsed = urlparse(url)
    netloc = f"{APP_ROLE}@{parsed.hostname}" + (f":{parsed.port}" if parsed.port else "")
    return urlunparse(parsed._replace(netloc=netloc))


def env_for(url: str, **extra: str) -> dict[str, str]:
    env = {**os.environ, **BENCH_ENV, "DATABASE_URL": url, **extra}
    if os.environ.get("BENCH_NO_MIGRATIONS"):
        env["BENCH_NO_MIGRATIONS"] = os.environ["BENCH_NO_MIGRATIONS"]
    return env


def run_child(args: list[str], url: str, **extra: str) -> None:
    """Run a benchmark step in its own process (each step has its own DATABASE_URL)."""
    print("$", " ".join(args), flush=True)
    subprocess.run([PYTHON, *args], cwd=ROOT, env=env_for(url, **extra), check=True)


def setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    for key, value in BENCH_ENV.items():
        os.environ.setdefault(key, value)
    import django

    django.setup()


def summarise(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)

    def pct(p: float) -> float:
        if not ordered:
            return 0.0
        k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
        return round(ordered[k], 2)

    return {
        "n": len(ordered),
        "median_ms": round(statistics.median(ordered), 2) if ordered else 0.0,
        "p95_ms": pct(95),
        "min_ms": round(ordered[0], 2) if ordered else 0.0,
        "max_ms": round(ordered[-1], 2) if ordered else 0.0,
    }


def timed(fn, repeats: int, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def load_result(name: str) -> dict:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def write_result(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")
    print(f"wrote {path.relative_to(ROOT)}", flush=True)
    return path


def machine() -> dict:
    info = {"nproc": os.cpu_count()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
        info["loadavg"] = Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        pass
    return info


def free_port() -> int:
    """A TCP port nothing listens on now (the kernel picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flush_redis(url: str) -> None:
    """Empty the benchmark's own Redis database (BENCH_LOAD_REDIS_URL, database 15)."""
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()


def stop_processes(processes: list[subprocess.Popen]) -> None:
    """Stop the benchmark's servers and workers: terminate, then kill what is left after 30 s."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
