"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

- `ui_for(user)` opens a fresh browser context signed in as `user` (by filling the sign-in form
  by label, and the two-factor step when the page asks for it) and returns a `UI`.
- `ui.check(title)` asserts the page title, runs axe-core (zero serious or critical
  violations) and, with `shot=`, saves a full-page screenshot.
- Every test fails on a console error, an uncaught page error, a CSP violation or a 5xx, and
  on any page it visited without running `ui.check` on it.

The pages run under the real Content Security Policy; axe is injected with page.evaluate,
which Chromium's DevTools protocol runs outside the page's CSP.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

PASSWORD = "correct-horse-battery-staple"  # tests.factories.UserFactory's
EXPECT_TIMEOUT_MS = 10_000
NAVIGATION_TIMEOUT_MS = 30_000
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BLOCKING_IMPACTS = {"serious", "critical"}
# WCAG 2.2 AA and everything below it (best-practice rules are advice, not the standard).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}
AXE_DONE: set[str] = set()  # kinds of page (path patterns) axe has passed this session

# Reports CSP violations to the console as errors, so the console listener fails the test.
CSP_REPORTER = """
document.addEventListener('securitypolicyviolation', function (e) {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI +
                ' at ' + e.sourceFile + ':' + e.lineNumber);
});
"""


def pytest_collection_modifyitems(config, items):
    """Mark every test here `browser`, and run all browser tests (wherever they live) last:
    Playwright's event loop stays current in the main thread until the session ends, which
    other tests need not meet."""
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    chosen = set(map(id, browser_items))
    items[:] = [item for item in items if id(item) not in chosen] + browser_items


SECOND_BROWSER_HOST = "second.localhost"


def pytest_generate_tests(metafunc):
    """The four journeys run in the default partnership and again in a second partnership,
    on its own address (issue 14): the same seed built inside that partnership."""
    if "journey_partnership" in metafunc.fixturenames and Path(
        str(metafunc.definition.fspath)
    ).name.startswith("test_journey_"):
        metafunc.parametrize("journey_partnership", ["first", "second"], indirect=True)


@pytest.fixture(autouse=True)
def journey_partnership(request, settings):
    """None (the default test partnership, on `localhost`) or a second partnership answering
    on `second.localhost`, whose context the test then runs in."""
    if getattr(request, "param", "first") != "second":
        yield None
        return
    request.getfixturevalue("transactional_db")
    from auditportal.tenancy import partnership_context
    from cases.hosts import host_map
    from cases.models import Partnership

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, SECOND_BROWSER_HOST]
    second = Partnership.objects.create(
        name="Northmoor Safeguarding Children Partnership", slug="northmoor"
    )
    second.hosts.create(host=SECOND_BROWSER_HOST)
    host_map()
    with partnership_context(second):
        yield second


def path_pattern(url: str) -> str:
    """/audits/12/returns/3/ -> /audits/<id>/returns/<id>/ (one axe run per kind of page)."""
    return re.sub(r"/\d+(?=/|$)", "/<id>", urlparse(url).path)


@pytest.fixture(scope="session", autouse=True)
def _serial_live_server_on_sqlite():
    """On SQLite the live server shares the test's one in-memory connection between its
    request threads, so two overlapping requests (an autosave and a submit) fail with
    "database table is locked": an artefact of the test database, not of the app. There the
    server handles one request at a time (in arrival order). On PostgreSQL (CI) it stays
    threaded, as in production."""
    from django.conf import settings
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    if settings.IS_POSTGRES:
        yield
        return

    class SerialWSGIServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)

    previous = LiveServerThread.server_class
    LiveServerThread.server_class = SerialWSGIServer
    yield
    LiveServerThread.server_class = previous


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    configured = os.environ.get("SCREENSHOT_DIR")
    directory = Path(configured) if configured else tmp_path_factory.mktemp("screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


# One Playwright and one Chromium per test process, however many modules import the fixtures
# (tests elsewhere do: `from tests.browser.conftest import chromium, ...`); a second
# sync_playwright() in the same thread would fail. Closed when the session finishes.
_SHARED: dict = {}


def _shared_chromium():
    if "browser" not in _SHARED:
        from playwright.sync_api import sync_playwright

        # Playwright's sync API keeps an asyncio loop current in this thread for as long as
        # the browser lives (to the end of the session, browser tests run last); the ORM
        # calls the tests make are still synchronous, so Django's async guard stands aside.
        _SHARED["previous_env"] = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        playwright = sync_playwright().start()
        _SHARED["playwright"] = playwright
        _SHARED["browser"] = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
    return _SHARED["browser"]


def pytest_sessionfinish(session, exitstatus):
    if "browser" not in _SHARED:
        return
    try:
        _SHARED.pop("browser").close()
        _SHARED.pop("playwright").stop()
    finally:
        previous = _SHARED.pop("previous_env", None)
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is missing: run `make system-deps` as root")
    return _shared_chromium()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(autouse=True)
def _browser_settings(settings):
    settings.PARTNERSHIP_NAME = "Riverbend Safeguarding Children Partnership"
    settings.AXES_ENABLED = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@dataclass
class UI:
    """One signed-in person in their own browser context."""

    page: object
    base_url: str
    axe: object
    screenshot_dir: Path
    name: str
    errors: list[str] = field(default_factory=list)
    visited: set[str] = field(default_factory=set)
    checked: set[str] = field(default_factory=set)
    allowed_errors: list[re.Pattern] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str):
        return self.page.goto(self.url(path))

    def allow_console_error(self, pattern: str) -> None:
        """An expected console message (e.g. a 4xx the page handles and explains)."""
        self.allowed_errors.append(re.compile(pattern))

    def check(self, title: str, *, shot: str | None = None) -> None:
        """Title says where we are, zero serious/critical axe violations, optional screenshot."""
        from playwright.sync_api import expect

        self.page.wait_for_load_state("load")
        expect(self.page).to_have_title(re.compile(r"^" + re.escape(title)))
        pattern = path_pattern(self.page.url)
        if pattern not in AXE_DONE:  # each kind of page once a session: axe is slow
            self.assert_accessible()
            AXE_DONE.add(pattern)
        self.checked.add(pattern)
        if shot:
            self.screenshot(shot)

    def assert_accessible(self, context=None) -> None:
        results = self.axe.run(self.page, context=context, options=AXE_OPTIONS)
        blocking = [
            v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS
        ]
        if blocking:
            lines = [f"axe: serious/critical violations on {self.page.url}:"]
            for violation in blocking:
                targets = [", ".join(node["target"]) for node in violation["nodes"]][:6]
                lines.append(
                    f"- {violation['id']} ({violation['impact']}): {violation['help']} "
                    f"{violation['helpUrl']}\n    targets: {targets}"
                )
                for node in violation["nodes"][:3]:
                    lines.append(f"    {node.get('failureSummary', '')[:300]}")
            raise AssertionError("\n".join(lines))

    def focused(self) -> dict:
        """What has keyboard focus, and how it is drawn."""
        return self.page.evaluate(
            """() => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
                return {
                    tag: el.tagName.toLowerCase(), id: el.id, type: el.type || '',
                    name: (el.getAttribute('aria-label') || label || el.innerText ||
                           el.value || '').trim().slice(0, 80),
                    focusVisible: el.matches(':focus-visible'),
                    outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth,
                    boxShadow: style.boxShadow,
                };
            }"""
        )

    def assert_focus_visible(self) -> dict:
        focus = self.focused()
        # The app's focus ring (static/css/app.css): a 3px outline over a dark ring; Bootstrap's
        # faint glow alone (about 1.4:1 against white) does not count.
        width = float(re.sub(r"[^0-9.]", "", focus["outlineWidth"]) or 0)
        outlined = focus["outlineStyle"] != "none" and width >= 2
        assert focus["focusVisible"] and outlined, f"focus not clearly visible: {focus}"
        return focus

    def tab_to(self, name_pattern: str, *, limit: int = 60, key: str = "Tab") -> dict:
        """Press Tab until the focused element's name matches; each stop must show focus."""
        pattern = re.compile(name_pattern, re.I)
        for _ in range(limit):
            self.page.keyboard.press(key)
            focus = self.assert_focus_visible()
            if pattern.search(focus["name"]):
                return focus
        raise AssertionError(f"Tab never reached {name_pattern!r}; last: {focus}")

    def screenshot(self, name: str) -> Path:
        """A full-page PNG. The viewport grows to the page's height for it, so sticky bars
        (the return form's buttons) show where they are, not mid-page."""
        target = self.screenshot_dir / f"{name}.png"
        size = self.page.viewport_size
        height = self.page.evaluate("() => document.documentElement.scrollHeight")
        self.page.set_viewport_size({"width": size["width"], "height": max(height, 600)})
        try:
            self.page.screenshot(path=str(target))
        finally:
            self.page.set_viewport_size(size)
        return target

    def sign_in(self, user, password: str = PASSWORD) -> None:
        """Sign in through the form, and through the two-factor step when the app asks."""
        from playwright.sync_api import expect

        from tests.mfa import device_for, totp_for

        device_for(user)  # an enrolled authenticator, so the app asks for a code
        self.goto("/accounts/sign-in/")
        self.check("Sign in")
        self.page.get_by_label(re.compile(r"^\s*Username\b")).fill(user.username)
        self.page.get_by_label(re.compile(r"^\s*Password\b")).fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state("load")
        if "/two-factor/" in self.page.url:
            self.check("Enter your code")
            self.page.get_by_label(re.compile(r"^\s*Code\b")).fill(totp_for(user))
            self.page.get_by_role("button", name="Continue").click()
        expect(self.page).not_to_have_url(re.compile(r"/accounts/(sign-in|two-factor)/"))
        expect(self.page.get_by_role("navigation", name="Main")).to_contain_text("Sign out")

    def nav(self, name: str) -> None:
        """Follow a link of the main navigation."""
        self.page.get_by_role("navigation", name="Main").get_by_role(
            "link", name=name, exact=True
        ).click()
        self.page.wait_for_load_state("load")

    def sign_out(self) -> None:
        self.page.get_by_role("button", name="Sign out").click()
        self.page.wait_for_load_state("load")

    def assert_clean(self) -> None:
        problems = [e for e in self.errors if not any(p.search(e) for p in self.allowed_errors)]
        assert not problems, f"{self.name}: browser errors:\n" + "\n".join(problems)
        unchecked = sorted(self.visited - self.checked)
        assert not unchecked, f"{self.name}: pages visited without ui.check (axe): {unchecked}"


@pytest.fixture
def ui_for(
    live_server, transactional_db, chromium, axe, screenshot_dir, journey_partnership, tmp_path
):
    """ui_for(user) -> a UI signed in as user, in its own context; ui_for(None) -> anonymous.
    In the second partnership's run, on its address (and its screenshots not kept)."""
    from playwright.sync_api import expect

    base_url = live_server.url
    if journey_partnership is not None:
        base_url = live_server.url.replace("//localhost:", f"//{SECOND_BROWSER_HOST}:")
        screenshot_dir = tmp_path / "screenshots"
        screenshot_dir.mkdir()

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    opened: list[tuple[object, UI]] = []

    def open_ui(user, *, sign_in: bool = True, **context_options) -> UI:
        context = chromium.new_context(
            base_url=base_url,
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
            **context_options,
        )
        context.set_default_timeout(EXPECT_TIMEOUT_MS)
        # The first page of a session is cold (templates, static finders): allow it longer.
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        context.add_init_script(CSP_REPORTER)
        # No route for /favicon.ico: every page links the app's icon, so Chromium never asks
        # for it; a page that did would log a 404, which fails the test.
        page = context.new_page()
        ui = UI(
            page=page,
            base_url=base_url,
            axe=axe,
            screenshot_dir=screenshot_dir,
            name=getattr(user, "username", "anonymous"),
        )

        def on_console(message):
            if message.type == "error":
                ui.errors.append(f"console: {message.text} ({page.url})")

        def on_response(response):
            if response.status >= 400:
                ui.errors.append(f"HTTP {response.status} from {response.url}")

        def on_navigated(frame):
            if frame == page.main_frame and frame.url.startswith(base_url):
                ui.visited.add(path_pattern(frame.url))

        page.on("console", on_console)
        page.on("pageerror", lambda error: ui.errors.append(f"page error: {error} ({page.url})"))
        page.on("response", on_response)
        page.on("framenavigated", on_navigated)
        opened.append((context, ui))
        if user is not None and sign_in:
            ui.sign_in(user)
        return ui

    yield open_ui
    failures = []
    for context, ui in opened:
        try:
            ui.assert_clean()
        except AssertionError as error:
            failures.append(str(error))
        finally:
            context.close()
    if failures:
        pytest.fail("\n".join(failures))
