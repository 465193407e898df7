"""The production smoke test (`make smoke`; CI runs it after `make test`).

Builds and starts the production shape the way the image and docker-compose.yml do, with the
same scripts and compose's own commands and environment: the app installed into a fresh
virtualenv by bin/install (runtime dependencies only), static files built by bin/build-static,
a fresh PostgreSQL database migrated by compose's one-shot `migrate` command, then compose's
`worker`, `beat`, `relay` and `web` commands (gunicorn, DEBUG off, the manifest storage, Redis).
Only what must differ on one machine is changed: the database and Redis addresses, the port,
and where media, beat's files, the relay's heartbeat and mail go.

Then, over HTTP on loopback, as the TLS proxy in front of web would send it: liveness,
readiness and compose's healthchecks; a task left waiting in the outbox handed to the worker by
the relay; the proxy setting; every role signing in with two-factor
sign-in enforced (enrolling a TOTP authenticator, codes computed here) and opening its pages
and their static files (hashed names, 200, long cache); security headers and cookies; a return
autosaved and submitted; a briefing rendered by the worker and downloaded; the published PDF
downloaded by a board member; the app's 404 and CSRF pages; an access log without query
strings. Any 5xx, missing asset, failed check or render that does not finish fails, and every
process started is stopped.

Environment: DATABASE_URL (its server; the database used is `<name>_smoke`, created and
dropped here), REDIS_URL, SMOKE_PORT (default: a free port in 20000-32000), SMOKE_KEEP=1 keeps
the database and the work directory (logs) afterwards.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

from tests.production import background, journeys
from tests.production.client import Client, Response
from tests.production.harness import (
    DEFAULT_DATABASE_URL,
    DEFAULT_REDIS_URL,
    ROOT,
    Processes,
    check,
    clean_environment,
    database_url_with_suffix,
    drop_database,
    free_port,
    healthcheck_command,
    recreate_database,
    run,
    run_check,
    say,
    service_command,
    service_environment,
    tail,
    totp_code,
    wait_until,
)

HOST = "audit.example.test"
DEMO_PASSWORD = "riverbend-demo-2026"  # accounts/demo.py
ROLES = {
    "business": "business",
    "practitioner": "practitioner",
    "board": "board",
    "administrator": "admin",
}
PAGES_PER_ROLE = 30
HASHED_ASSET = re.compile(r"/static/.+\.[0-9a-f]{12}\.\w+$")
# Links a crawl never follows: signing out, outside the site, Django admin for non-admins.
NOT_FOLLOWED = re.compile(r"^(?:mailto:|tel:|https?://|#|/accounts/sign-out/|/static/)")


def image_environment() -> dict[str, str]:
    """The ENV lines of the Dockerfile (what every container starts with)."""
    env: dict[str, str] = {}
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("ENV "):
            for pair in line[4:].split():
                name, _, value = pair.partition("=")
                env[name] = value
    return env


class Smoke:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.port = free_port()
        self.database_url = database_url_with_suffix(
            os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL, "smoke"
        )
        self.redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
        self.venv = work / "venv"
        # A fresh directory, as an image build starts with: nothing collected before counts.
        self.static_root = work / "staticfiles"
        self.processes = Processes()
        # What a deployment's .env holds (docker-compose.yml says which are required).
        self.dotenv = {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_SALT": secrets.token_urlsafe(16),
            "POSTGRES_PASSWORD": "not-used-here",
            "ALLOWED_HOSTS": HOST,
            "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
            "SITE_URL": f"https://{HOST}",
            "PARTNERSHIP_NAME": "Riverbend Safeguarding Children Partnership",
            "EMAIL_BACKEND": "file",
        }
        self.logs = work / "logs"
        self.logs.mkdir()

    # -- environment -----------------------------------------------------------------------------

    def env(self, service: str) -> dict[str, str]:
        """The service's environment in compose, with only this machine's addresses changed."""
        env = {**image_environment(), **service_environment(service, self.dotenv)}
        local = {
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "MEDIA_ROOT": str(self.work / "media"),
            "BEAT_DIR": str(self.work / "beat"),
            "RELAY_HEARTBEAT_FILE": str(self.work / "relay-heartbeat"),
            "WEB_BIND": f"127.0.0.1:{self.port}",
            "EMAIL_FILE_PATH": str(self.work / "mail"),
            "STATIC_ROOT": str(self.static_root),
        }
        for name in set(local) - {"EMAIL_FILE_PATH", "STATIC_ROOT"}:
            check(name in env, f"compose no longer sets {name}")
        return clean_environment(self.venv / "bin", **{**env, **local})

    def log(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    # -- build and start, as the image and compose do --------------------------------------------

    def build(self) -> None:
        started = time.monotonic()
        run(
            [sys.executable, "-m", "venv", str(self.venv)], clean_environment(), self.log("install")
        )
        # The Dockerfile's RUN steps: no secrets in the environment at build time.
        build_env = clean_environment(
            self.venv / "bin", **image_environment(), STATIC_ROOT=str(self.static_root)
        )
        run(["bin/install"], build_env, self.log("install"))
        say(f"bin/install: the app and its runtime packages ({time.monotonic() - started:.0f} s)")
        run(["bin/build-static"], build_env, self.log("build-static"))
        say("bin/build-static: static files collected")

    def migrate_and_seed(self) -> None:
        recreate_database(self.database_url)
        run(service_command("migrate"), self.env("migrate"), self.log("migrate"))
        say(f"compose's migrate: {' '.join(service_command('migrate'))}")
        env = self.env("web")
        run(["python", "manage.py", "load_demo"], env, self.log("seed"))
        # Two-factor sign-in for every role, board members included.
        run(
            [
                "python",
                "manage.py",
                "shell",
                "-c",
                "from cases.models import Partnership; p = Partnership.load(); "
                "p.board_mfa_required = True; p.save()",
            ],
            env,
            self.log("seed"),
        )
        say("demo partnership loaded; two-factor sign-in required for every role")

    def start(self) -> None:
        self.started_at = time.time()
        for service in ("worker", "mail-worker", "beat", "relay", "web"):
            self.processes.start(
                service, service_command(service), self.env(service), self.log(service)
            )
        client = Client(self.port, HOST)
        wait_until(
            "gunicorn answers /healthz",
            lambda: client.get("/healthz").status == 200,
            timeout=60,
            processes=self.processes,
        )
        say(f"worker, mail-worker, beat, relay and web started (gunicorn on 127.0.0.1:{self.port})")

    # -- checks ----------------------------------------------------------------------------------

    def check_health(self) -> None:
        probe = Client(self.port, "127.0.0.1", forwarded_proto=None)
        liveness = probe.get("/healthz")
        check(liveness.text == "ok", f"/healthz: {liveness.text}")

        def ready_with_this_workers_heartbeat() -> dict | None:
            """Ready, on a heartbeat younger than this run's worker (an earlier run's worker
            on this host may have left one that has not expired yet)."""
            response = probe.request("GET", "/readyz", server_error_expected=True)
            checks = response.json()["checks"]
            ages = re.fullmatch(
                r"default queue: heartbeat (\d+) s ago; mail queue: heartbeat (\d+) s ago",
                checks["worker"],
            )
            if response.status != 200 or not ages:
                return None
            fresh = all(int(age) < time.time() - self.started_at for age in ages.groups())
            return checks if fresh else None

        checks = wait_until(
            "/readyz is ready (database, Redis, this run's workers of both queues)",
            ready_with_this_workers_heartbeat,
            timeout=90,
            every=2,
            processes=self.processes,
        )
        check(checks["database"] == "ok" and checks["redis"] == "ok", f"/readyz: {checks}")
        say(f"/healthz ok; /readyz ready: {checks}")
        for service in ("web", "worker", "mail-worker", "beat", "relay"):
            run(
                healthcheck_command(service),
                self.env(service),
                self.log("healthchecks"),
                timeout=60,
            )
        say("compose's healthchecks of web, worker, mail-worker, beat and relay pass")

    def manage_shell(self, code: str) -> str:
        """The last line a `manage.py shell -c` prints, in the web service's environment."""
        out = run(["python", "manage.py", "shell", "-c", code], self.env("web"), self.log("shell"))
        lines = out.strip().splitlines()
        return lines[-1] if lines else ""

    def check_proxy(self) -> None:
        direct = Client(self.port, HOST, forwarded_proto=None).get("/accounts/sign-in/")
        check(
            direct.status == 301 and direct.header("Location").startswith(f"https://{HOST}/"),
            f"plain HTTP should redirect to HTTPS, got {direct.status} {direct.header('Location')}",
        )
        proxied = Client(self.port, HOST).get("/accounts/sign-in/")
        check(proxied.status == 200, f"via the proxy (X-Forwarded-Proto: https): {proxied.status}")
        say("behind the proxy: HTTPS per X-Forwarded-Proto; plain HTTP redirected to HTTPS")

    def sign_in(self, username: str) -> tuple[Client, str, int]:
        """Password, then two-factor enrolment as a new user does it: read the key off the
        page, type the authenticator's code. Returns the client, the key and the code's step."""
        client = Client(self.port, HOST)
        enrol = client.sign_in_with_password(username, DEMO_PASSWORD)
        check(
            enrol.path.startswith("/accounts/two-factor/set-up/"),
            f"{username}: after the password, expected two-factor set-up, got {enrol.path}",
        )
        match = re.search(r'class="mfa-secret[^"]*"[^>]*>([A-Z2-7 ]+)<', enrol.text)
        check(match, f"{username}: no key on the set-up page")
        secret = match.group(1) if match else ""
        code, step = totp_code(secret)
        form = enrol.page.form_with(field_name="token")
        codes = client.submit(form, form.filled(token=code))
        check(
            codes.status == 200 and "Your recovery codes" in codes.text,
            f"{username}: the authenticator code was refused ({codes.status})",
        )
        home = client.get_page("/")
        check("Sign out" in home.text, f"{username}: not signed in after two-factor set-up")
        self.check_security_headers(home, signed_in=True)
        return client, secret, step

    def check_security_headers(self, response: Response, *, signed_in: bool) -> None:
        expected = {
            "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
            "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            "Cross-Origin-Opener-Policy": "same-origin",
        }
        for name, value in expected.items():
            check(
                response.header(name) == value,
                f"{response.path}: {name} is {response.header(name)!r}",
            )
        csp = response.header("Content-Security-Policy")
        for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'"):
            check(directive in csp, f"{response.path}: CSP lacks {directive}: {csp!r}")
        if signed_in:
            check("no-store" in response.header("Cache-Control"), f"{response.path} may be cached")

    def check_cookies(self, client: Client) -> None:
        session = [h for h in client.set_cookie_headers if h.startswith("__Secure-sessionid=")]
        csrf = [h for h in client.set_cookie_headers if h.startswith("__Secure-csrftoken=")]
        check(session and csrf, f"no __Secure- cookies: {client.set_cookie_headers}")
        for header in session:
            for flag in ("Secure", "HttpOnly", "SameSite=Lax"):
                check(flag in header, f"session cookie lacks {flag}: {header}")
        check("Secure" in csrf[-1], f"CSRF cookie not Secure: {csrf[-1]}")

    def crawl(self, role: str, client: Client) -> set[str]:
        """Open the role's pages: its start page and every page linked from them, breadth
        first, up to PAGES_PER_ROLE. Each must answer 200. Returns the static assets named."""
        queue = deque(["/"])
        seen: set[str] = set()
        assets: set[str] = set()
        opened = 0
        while queue and opened < PAGES_PER_ROLE:
            path = queue.popleft()
            if path in seen:
                continue
            seen.add(path)
            response = client.follow(client.get(path))
            check(response.status == 200, f"{role}: GET {path} answered {response.status}")
            opened += 1
            if not response.header("Content-Type").startswith("text/html"):
                continue
            page = response.page
            assets.update(a for a in page.assets if a.startswith("/static/"))
            for link in page.links:
                link = link.split("#", 1)[0]
                if not link or NOT_FOLLOWED.match(link) or link in seen:
                    continue
                if link.startswith("/admin/") and role != "administrator":
                    continue
                if link.startswith("/"):
                    queue.append(link)
        say(f"{role}: {opened} pages opened, all 200")
        return assets

    def check_assets(self, assets: set[str]) -> None:
        client = Client(self.port, HOST)
        fetched: set[str] = set()
        queue = deque(sorted(assets))
        while queue:
            path = queue.popleft()
            if path in fetched:
                continue
            fetched.add(path)
            response = client.get(path)
            check(response.status == 200, f"static file {path} answered {response.status}")
            check(HASHED_ASSET.search(path), f"static file without a hashed name: {path}")
            cache = response.header("Cache-Control")
            check("max-age=315360000" in cache and "immutable" in cache, f"{path}: {cache!r}")
            if path.endswith(".css"):
                base = path.rsplit("/", 1)[0]
                for url in re.findall(r"url\(['\"]?([^)'\"]+)['\"]?\)", response.text):
                    if url.startswith(("data:", "#", "http")):
                        continue
                    target = os.path.normpath(f"{base}/{url.split('?')[0].split('#')[0]}")
                    queue.append(target if target.startswith("/") else f"/{target}")
        say(f"{len(fetched)} static files: hashed names, 200, cached for a year, immutable")

    def check_error_pages(self, client: Client) -> None:
        missing = client.get("/no-such-page/")
        check(
            missing.status == 404
            and "Page not found" in missing.text
            and "Traceback" not in missing.text,
            f"unknown URL: {missing.status}",
        )
        csrf = Client(self.port, HOST).post(
            "/accounts/sign-in/", {"username": "x", "password": "y"}
        )
        check(
            csrf.status == 403 and "This form has expired" in csrf.text,
            f"a form without its CSRF token: {csrf.status}",
        )
        say("the app's 404 page and its expired-form (CSRF) page")

    def sign_in_again(self, username: str, secret: str, enrolled_step: int) -> None:
        """A later sign-in: password, then the code page (the authenticator is enrolled)."""
        code, step = totp_code(secret)
        if step <= enrolled_step:  # django-otp refuses a code of a step already used
            time.sleep(30 - time.time() % 30 + 0.5)
            code, step = totp_code(secret)
        client = Client(self.port, HOST)
        verify = client.sign_in_with_password(username, DEMO_PASSWORD)
        check(
            verify.path.startswith("/accounts/two-factor/"),
            f"expected the code page: {verify.path}",
        )
        form = verify.page.form_with(field_name="token")
        home = client.follow(client.submit(form, form.filled(token=code)))
        check(
            home.status == 200 and "Sign out" in home.text, f"{username}: code refused on sign-in"
        )
        say(f"{username}: signed in again with password and authenticator code")

    def check_logs(self) -> None:
        web = self.log("web").read_text(errors="replace")
        check("GET /audits/my-returns/ HTTP/1.1" in web, "the access log has no request lines")
        for secret in ("Child", "q=", "?"):
            lines = [line for line in web.splitlines() if '"GET ' in line and secret in line]
            check(not lines, f"the access log holds {secret!r}: {lines[:3]}")
        check("Traceback" not in web, f"errors in the web log:\n{tail(self.log('web'))}")
        relay = self.log("relay").read_text(errors="replace")
        check("outbox relay started" in relay, "the relay did not start")
        check("Traceback" not in relay, f"errors in the relay log:\n{tail(self.log('relay'))}")
        waiting = self.manage_shell(
            "from auditportal.models import OutboxMessage; "
            "print(OutboxMessage.objects.filter(status='pending').count())"
        )
        check(waiting == "0", f"{waiting} outbox message(s) never handed to the queue")
        worker = self.log("worker").read_text(errors="replace")
        check(
            re.search(r"briefings\.render_pdf\[[^]]+\] succeeded", worker),
            "no render in the worker log",
        )
        say(
            "access log: paths only (no query strings); no tracebacks; the worker rendered the "
            "PDF; every outbox message handed to the queue"
        )

    # -- the whole run ---------------------------------------------------------------------------

    def run(self) -> None:
        self.build()
        self.migrate_and_seed()
        self.start()
        self.check_health()
        background.check_relay(self)
        background.check_queues(self)
        self.check_proxy()
        clients = {}
        assets: set[str] = set()
        for role, username in ROLES.items():
            client, secret, step = self.sign_in(username)
            clients[role] = (client, secret, step)
            say(f"{role}: signed in with password and a new authenticator")
            assets |= self.crawl(role, client)
        self.check_cookies(clients["business"][0])
        self.check_assets(assets)
        journeys.practitioner_return(clients["practitioner"][0])
        journeys.business_render(clients["business"][0], self.processes)
        journeys.board_download(clients["board"][0])
        self.check_error_pages(clients["practitioner"][0])
        self.sign_in_again("business", clients["business"][1], clients["business"][2])
        self.processes.check_running()
        self.check_logs()


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="auditportal-smoke-"))
    smoke = Smoke(work)
    keep = os.environ.get("SMOKE_KEEP", "") in {"1", "true", "yes"}
    print(f"Production smoke test ({smoke.database_url.rsplit('/', 1)[-1]}, {work})", flush=True)

    def cleanup(passed: bool) -> None:
        smoke.processes.stop_all()
        if not keep:
            drop_database(smoke.database_url)
        if passed and not keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"Logs kept in {smoke.logs}", file=sys.stderr)

    return run_check(
        "Production smoke test",
        smoke.run,
        cleanup=cleanup,
        logs=lambda: sorted(smoke.logs.glob("*.log")),
    )


if __name__ == "__main__":
    sys.exit(main())
