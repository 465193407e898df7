"""Gunicorn's access log without personal data or secrets (gunicorn.conf.py names it).

A search box puts what was typed in the query string (`/audits/my-returns/?q=Child+B`), the
referrer repeats the previous page's query string, headers carry session cookies, and two
kinds of URL carry a secret in the path (a password-reset link, a private calendar feed).
The log gets the path with those secrets replaced by their names, and nothing else of the
request beyond method, protocol, status, size, duration, time and client address.
"""

from typing import Any

from gunicorn.glogging import Logger

# URL keyword arguments that are secrets: replaced by "{name}" in the logged path.
SECRET_URL_KWARGS = frozenset({"token", "uidb64", "code"})
# What a log line may say about a request (gunicorn's atom names).
KEPT_ATOMS = ("h", "l", "t", "s", "m", "H", "b", "B", "T", "D", "M", "L", "p")


def redacted_path(path: str) -> str:
    """The path, with the value of every secret URL argument replaced by its name."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return path
    for name in sorted(SECRET_URL_KWARGS & match.kwargs.keys()):
        value = str(match.kwargs[name])
        if value:
            path = path.replace(value, "{" + name + "}")
    return path


class RedactingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        everything = super().atoms(resp, req, environ, request_time)
        atoms = {name: everything[name] for name in KEPT_ATOMS}
        path = redacted_path(environ.get("PATH_INFO") or "/")
        atoms.update(
            {
                "U": path,
                "r": f"{atoms['m']} {path} {atoms['H']}",
                "q": "",
                "f": "-",
                "a": "-",
                "u": "-",
            }
        )
        return atoms
