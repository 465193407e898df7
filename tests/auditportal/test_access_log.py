"""gunicorn's access log (auditportal/gunicorn_logging.py, named in gunicorn.conf.py) holds no
query string, referrer, cookie or URL secret. CI's smoke test checks the log of a real gunicorn
after a practitioner searched My returns."""

import datetime
import re
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from gunicorn.config import Config

from auditportal.gunicorn_logging import SECRET_URL_KWARGS, RedactingLogger, redacted_path

ROOT = Path(__file__).resolve().parents[2]
# URL arguments that are not integers and carry nothing secret.
PUBLIC_URL_KWARGS = {"fmt"}


def access_line(tmp_path, path: str, query: str = "", **headers: str) -> str:
    """The line gunicorn.conf.py's logger writes for one request."""
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    cfg = Config()
    cfg.set("access_log_format", conf["access_log_format"])
    cfg.set("accesslog", str(tmp_path / "access.log"))
    logger = RedactingLogger(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "RAW_URI": f"{path}?{query}" if query else path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.7",
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }
    request = SimpleNamespace(headers=[(k.upper(), v) for k, v in headers.items()])
    response = SimpleNamespace(status="200 OK", sent=5120, headers=[("Set-Cookie", "sessionid=x")])

    logger.access(response, request, environ, datetime.timedelta(milliseconds=42))

    for handler in logger.access_log.handlers:
        handler.flush()
    return (tmp_path / "access.log").read_text().strip()


def test_access_log_line_has_the_path_without_its_query_string(tmp_path):
    line = access_line(
        tmp_path,
        "/audits/my-returns/",
        "q=Child+B",
        referer="https://audit.example.org/audits/my-returns/?q=Child+A",
        cookie="__Secure-sessionid=abc123",
        user_agent="Mozilla/5.0",
    )

    assert re.fullmatch(
        r'10\.0\.0\.7 \[[^]]+\] "GET /audits/my-returns/ HTTP/1\.1" 200 5120 42ms', line
    ), line
    for leak in ("Child", "q=", "abc123", "referer", "Mozilla"):
        assert leak not in line


def test_a_format_naming_more_still_gets_nothing_of_it(tmp_path, monkeypatch):
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    conf["access_log_format"] = '"%(r)s" %(q)s "%(f)s" "%(a)s" %({cookie}i)s %({query_string}e)s'
    monkeypatch.setattr(runpy, "run_path", lambda path: conf)

    line = access_line(tmp_path, "/audits/my-returns/", "q=Child+B", cookie="sid=abc123")

    assert line == '"GET /audits/my-returns/ HTTP/1.1"  "-" "-" - -'


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        (
            "/accounts/password/reset/MTI/cm7q1k-0123456789abcdef0123456789abcdef/",
            "/accounts/password/reset/{uidb64}/{token}/",
        ),
        (
            "/accounts/password/reset/MTI/set-password/",
            "/accounts/password/reset/{uidb64}/{token}/",
        ),
        (
            "/audits/calendar/feed/Zm9vYmFyLXNlY3JldC10b2tlbg.ics",
            "/audits/calendar/feed/{token}.ics",
        ),
        # A survey code on a letter's QR code or a sent link.
        ("/s/KX7PM3QD9TWA/", "/s/{code}/"),
        ("/s/answer/", "/s/answer/"),
        ("/audits/returns/17/autosave/", "/audits/returns/17/autosave/"),
        ("/no/such/page/", "/no/such/page/"),
    ],
)
def test_secrets_in_url_paths_are_logged_by_name(path, logged):
    assert redacted_path(path) == logged


def walk(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                yield from walk(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.pattern.converters


def test_every_url_argument_that_is_not_a_number_is_a_known_secret_or_known_public():
    """A new URL carrying a token in its path must be added to SECRET_URL_KWARGS (or, if it
    is not secret, to PUBLIC_URL_KWARGS here), so the access log never keeps it."""
    from django.urls.converters import IntConverter

    undecided = {
        (route, name)
        for route, converters in walk(get_resolver())
        for name, converter in converters.items()
        if not isinstance(converter, IntConverter)
        and name not in SECRET_URL_KWARGS | PUBLIC_URL_KWARGS
    }
    assert undecided == set()
