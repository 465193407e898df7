"""Session security and two-factor enforcement.

SessionSecurityMiddleware (after MessageMiddleware):
- ends a session after settings.SESSION_IDLE_SECONDS without activity, and after
  settings.SESSION_COOKIE_AGE in all (absolute lifetime), with a message on the sign-in page;
- marks every response to a signed-in user `Cache-Control: no-store` (pages hold case data).
Every request counts as activity (autosave included: the user is typing) except requests
carrying `X-Session-Passive: 1`, which static/js/session.js adds to htmx polling.

MFAEnforcementMiddleware (after OTPMiddleware and SessionSecurityMiddleware): a signed-in user
who needs two-factor sign-in (accounts.mfa.user_needs_mfa) and has not verified this session
may only reach enrolment, verification, sign-out and static files. The Django admin needs a
verified session whenever MFA_ENFORCED is on, whatever the role.
"""

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from .mfa import has_confirmed_device, user_needs_mfa

LAST_ACTIVITY_KEY = "_last_activity"
SESSION_STARTED_KEY = "_session_started"
# Write the activity timestamp at most this often (seconds): fewer session writes.
ACTIVITY_GRANULARITY = 15
PASSIVE_HEADER = "X-Session-Passive"


def mark_session_start(session) -> None:
    """Called when a user signs in (accounts.signals connects it to user_logged_in)."""
    now = int(time.time())
    session[SESSION_STARTED_KEY] = now
    session[LAST_ACTIVITY_KEY] = now


def _minutes(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    if minutes >= 60 and minutes % 60 == 0:
        hours = minutes // 60
        return "1 hour" if hours == 1 else f"{hours} hours"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _end_session(request: HttpRequest, message: str) -> HttpResponse | None:
    """End the session with a message for the sign-in page. A page (GET) or an htmx request
    is sent to the sign-in page; any other request (an autosave, a form post) goes on as an
    anonymous one (returns None), so the view answers it as it answers a signed-out visitor:
    the autosave says so in JSON, forms ask to sign in."""
    path = request.get_full_path() if request.method in {"GET", "HEAD"} else ""
    logout(request)
    messages.info(request, message)
    url = reverse(settings.LOGIN_URL)
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    if not path:
        return None
    return redirect(url + "?" + urlencode({"next": path}))


class SessionSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.keep_alive_path: str | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ending = self._ending_message(request)
            if ending:
                response = _end_session(request, ending)
                if response is not None:
                    return response
            else:
                self._note_activity(request)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response

    def _ending_message(self, request: HttpRequest) -> str:
        """Why this session must end now, or "" if it may go on. (A deactivated user never
        gets here: their sessions are deleted when they are switched off, auditportal/security.py,
        and Django signs nobody in as an inactive user.)"""
        now = int(time.time())
        idle = settings.SESSION_IDLE_SECONDS
        last = request.session.get(LAST_ACTIVITY_KEY)
        started = request.session.get(SESSION_STARTED_KEY)
        if last is not None and now - last > idle:
            return f"You were signed out after {_minutes(idle)} without activity."
        if started is not None and now - started > settings.SESSION_COOKIE_AGE:
            return (
                f"You were signed out because you had been signed in for "
                f"{_minutes(settings.SESSION_COOKIE_AGE)}. Sign in again to carry on."
            )
        return ""

    def _note_activity(self, request: HttpRequest) -> None:
        session = request.session
        now = int(time.time())
        if session.get(SESSION_STARTED_KEY) is None:
            session[SESSION_STARTED_KEY] = now
        if self.keep_alive_path is None:
            self.keep_alive_path = reverse("accounts:keep-alive")
        last = session.get(LAST_ACTIVITY_KEY)
        passive = request.headers.get(PASSIVE_HEADER) == "1"
        keep_alive = request.path_info == self.keep_alive_path
        if keep_alive or (not passive and (last is None or now - last >= ACTIVITY_GRANULARITY)):
            session[LAST_ACTIVITY_KEY] = now


class MFAEnforcementMiddleware:
    ALLOWED_NAMES = (
        "accounts:mfa-enrol",
        "accounts:mfa-verify",
        "accounts:logout",
        "accounts:keep-alive",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._allowed: set[str] | None = None

    def _allowed_paths(self) -> set[str]:
        if self._allowed is None:
            self._allowed = {reverse(name) for name in self.ALLOWED_NAMES}
        return self._allowed

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_verified():
            path = request.path_info
            exempt = path in self._allowed_paths() or path.startswith(
                (settings.STATIC_URL, "/healthz")
            )
            if not exempt:
                in_admin = path.startswith(reverse("admin:index"))
                # Remembered for the page's navigation (second_factor_pending): one look-up.
                pending = user_needs_mfa(user)
                # HttpRequest has no such attribute in its type; the navigation reads it.
                request.second_factor_pending = pending  # type: ignore[attr-defined]
                if (in_admin and settings.MFA_ENFORCED) or pending:
                    name = (
                        "accounts:mfa-verify"
                        if has_confirmed_device(user)
                        else "accounts:mfa-enrol"
                    )
                    url = reverse(name)
                    if request.method == "GET" and path != "/":
                        url += "?" + urlencode({"next": request.get_full_path()})
                    if request.headers.get("HX-Request"):
                        response = HttpResponse(status=204)
                        response["HX-Redirect"] = url
                        return response
                    return redirect(url)
        return self.get_response(request)


class BadInputMiddleware:
    """A tampered request can carry values no form expects: an id too large for the database
    (OverflowError on SQLite, DataError on PostgreSQL), or a NUL character PostgreSQL refuses.
    Django's model choice fields let those reach the database. Answer 400 with a page, never a
    500; any transaction the view opened has been rolled back by the exception."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.db import DataError

        if isinstance(exception, OverflowError | DataError):
            from django.shortcuts import render

            return render(request, "400.html", status=400)
        return None
