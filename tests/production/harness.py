"""Shared pieces of the production checks (`make smoke`, `make backup-test`).

- docker-compose.yml read the way compose reads it: each service's command, healthcheck and
  environment (with `${VAR:?...}` / `${VAR:-default}` filled from the values a deployment's
  .env would hold), so the checks run what compose runs;
- throwaway PostgreSQL databases named after DATABASE_URL's (`<name>_smoke`, ...);
- processes that are always stopped (by their own id and process group, never by name);
- a small HTTP client that talks to gunicorn the way the TLS proxy does (Host, X-Forwarded-Proto)
  and keeps cookies the way a browser does (the `__Secure-` ones included), with CSRF.

Runs on the development virtualenv (psycopg, PyYAML, pypdf, django-otp's TOTP); the app itself
runs in whatever environment the caller starts it with.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlparse, urlunparse

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


# HTML -----------------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    attrs: dict[str, str]
    # (name, type, value, checked/selected) in document order
    controls: list[tuple[str, str, str, bool]] = field(default_factory=list)

    def filled(self, **values: str) -> list[tuple[str, str]]:
        """The form's values with the named fields set, as a user types them."""
        return [(name, values.get(name, value)) for name, value in self.values()]

    def values(self) -> list[tuple[str, str]]:
        data = []
        for name, kind, value, on in self.controls:
            if kind in {"checkbox", "radio"} and not on:
                continue
            if kind in {"submit", "button", "image", "reset", "option"}:
                continue
            data.append((name, value))
        return data


class Page(HTMLParser):
    """Links, static assets, forms and text of an HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.assets: list[str] = []
        self.forms: list[Form] = []
        self.text: list[str] = []
        self._form: Form | None = None
        self._textarea: list | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs_list: list) -> None:
        attrs = {name: value or "" for name, value in attrs_list}
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "link" and attrs.get("href") and attrs.get("rel") in {"stylesheet", "icon"}:
            self.assets.append(attrs["href"])
        if tag in {"script", "img"} and attrs.get("src"):
            self.assets.append(attrs["src"])
        if tag == "form":
            self._form = Form(attrs.get("action", ""), attrs.get("method", "get").lower(), attrs)
            self.forms.append(self._form)
        if self._form is None or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            self._form.controls.append(
                (attrs["name"], kind, attrs.get("value", ""), "checked" in attrs)
            )
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
        elif tag == "select":
            self._select = attrs["name"]
            self._options = []
        elif tag == "option" and self._select is not None:
            self._options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "button":
            self._form.controls.append((attrs["name"], "submit", attrs.get("value", ""), False))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.controls.append((self._textarea[0], "textarea", self._textarea[1], True))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and self._options:
                chosen = [self._options[0][0]]
            for value in chosen:
                self._form.controls.append((self._select, "select", value, True))
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1] += data
        elif data.strip():
            self.text.append(data.strip())

    def form_with(self, *, action_contains: str = "", field_name: str = "") -> Form:
        for form in self.forms:
            names = {name for name, *_ in form.controls}
            if action_contains in form.action and (not field_name or field_name in names):
                return form
        raise CheckFailed(f"no form with action {action_contains!r} and field {field_name!r}")


# HTTP -----------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    path: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    @property
    def page(self) -> Page:
        return Page(self.text)

    def json(self) -> dict:
        return json.loads(self.body)


class Client:
    """A browser behind the TLS proxy: every request goes to gunicorn on loopback with the
    site's Host and `X-Forwarded-Proto: https`, as compose's proxy sends them. Cookies are kept
    per name (Secure ones too: the browser spoke HTTPS to the proxy)."""

    def __init__(self, port: int, host: str, *, forwarded_proto: str | None = "https") -> None:
        self.port = port
        self.host = host
        self.forwarded_proto = forwarded_proto
        self.cookies: dict[str, str] = {}
        self.set_cookie_headers: list[str] = []
        self.seen: list[Response] = []

    @property
    def origin(self) -> str:
        scheme = "https" if self.forwarded_proto == "https" else "http"
        return f"{scheme}://{self.host}"

    def request(
        self,
        method: str,
        path: str,
        *,
        data: list[tuple[str, str]] | dict | None = None,
        headers: dict[str, str] | None = None,
        server_error_expected: bool = False,
    ) -> Response:
        """One request; any 5xx fails the check unless `server_error_expected`."""
        body = None
        sent = {"Host": self.host, "Accept": "text/html,application/json;q=0.9,*/*;q=0.8"}
        if self.forwarded_proto:
            sent["X-Forwarded-Proto"] = self.forwarded_proto
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if data is not None:
            body = urlencode(data, doseq=True).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if method == "POST":
            # What a browser sends with a same-origin form post; Django's CSRF check reads it.
            sent["Origin"] = self.origin
            sent["Referer"] = self.origin + path
        sent.update(headers or {})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            response = Response(raw.status, raw.msg, raw.read(), path)
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.set_cookie_headers.append(header)
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value in {"", '""'} or "max-age=0" in header.lower():
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        self.seen.append(response)
        check(
            response.status < 500 or server_error_expected,
            f"{method} {path} answered {response.status}:\n{response.text[:2000]}",
        )
        return response

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data, **kwargs) -> Response:
        return self.request("POST", path, data=data, **kwargs)

    def follow(self, response: Response, *, limit: int = 5) -> Response:
        while response.status in {301, 302, 303} and limit:
            location = urlparse(response.header("Location"))
            check(
                not location.netloc or location.netloc == self.host,
                f"redirect off the site: {response.header('Location')}",
            )
            target = location.path + (f"?{location.query}" if location.query else "")
            response = self.get(target)
            limit -= 1
        return response

    def get_page(self, path: str) -> Response:
        response = self.follow(self.get(path))
        check(response.status == 200, f"GET {path} answered {response.status}")
        return response

    def submit(self, form: Form, data: list[tuple[str, str]] | None = None, **kwargs) -> Response:
        check(form.method == "post", f"form {form.action} is not a POST form")
        return self.post(form.action or self.seen[-1].path, data or form.values(), **kwargs)

    def sign_in_with_password(self, username: str, password: str) -> Response:
        """The sign-in form filled in and sent; the page it leads to (home, or two-factor)."""
        form = self.get_page("/accounts/sign-in/").page.form_with(field_name="username")
        return self.follow(self.submit(form, form.filled(username=username, password=password)))


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
