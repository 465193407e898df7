"""The production checks' small HTTP client: it talks to gunicorn the way the TLS proxy does
(Host, X-Forwarded-Proto) and keeps cookies the way a browser does (the `__Secure-` ones
included), with CSRF; pages parsed into their links, forms and text."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlparse

from tests.production.harness import CheckFailed, check

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
