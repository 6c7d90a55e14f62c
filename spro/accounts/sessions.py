"""Professional sessions end after an idle time and after a maximum age, whatever the browser keeps.

`SPRO_SESSION_IDLE_MINUTES` (default 30): no request for that long ends the session; `SPRO_SESSION_MAX_HOURS`
(default 10, a working day): a session never outlives it, active or not. Why both: a shared computer left open at
a reception desk is closed by the first, a stolen session cookie stops working by the second.

The login time and the last activity are kept in the session itself (no table, works on every app server). The
last activity is written at most once a minute, so that an active user does not cost one session write per request;
the idle limit is therefore exact to the minute.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url

LOGIN_AT = "spro_login_at"
SEEN_AT = "spro_seen_at"
TOUCH_EVERY = 60  # seconds between two writes of the last activity


def now() -> int:
    return int(time.time())


def idle_seconds() -> int:
    return int(settings.SPRO_SESSION_IDLE_MINUTES) * 60


def max_age_seconds() -> int:
    return int(float(settings.SPRO_SESSION_MAX_HOURS) * 3600)


def stamp_login(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """`user_logged_in` receiver: a new login starts both clocks (also after a re-login in the same session)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[LOGIN_AT] = session[SEEN_AT] = now()


def expiry_reason(session, at: int) -> str | None:
    """Why this logged-in session is over at `at`, in French, or None while it is still valid.

    A session without stamps (opened before this rule existed) starts its clocks now rather than being ended.
    """
    login_at = session.get(LOGIN_AT)
    seen_at = session.get(SEEN_AT)
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        session[LOGIN_AT] = login_at if isinstance(login_at, int) else at
        session[SEEN_AT] = at
        return None
    if at - login_at > max_age_seconds():
        hours = float(settings.SPRO_SESSION_MAX_HOURS)
        return (
            f"Votre session a atteint sa durée maximale ({hours:g} h) et a été fermée par sécurité. "
            "Reconnectez-vous pour continuer."
        )
    if at - seen_at > idle_seconds():
        return (
            f"Votre session a été fermée après {settings.SPRO_SESSION_IDLE_MINUTES} minutes d’inactivité. "
            "Reconnectez-vous pour continuer."
        )
    if at - seen_at >= TOUCH_EVERY:
        session[SEEN_AT] = at
    return None


class SessionTimeoutMiddleware:
    """Logs out a session past its idle time or maximum age, and sends the person to the login page with a message.

    Placed after the authentication and messages middleware. It reads the session's user id rather than
    `request.user`, so that an anonymous request costs no database query.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY) is not None:
            reason = expiry_reason(session, now())
            if reason is not None:
                logout(request)
                messages.warning(request, reason)
                next_url = request.get_full_path() if request.method in {"GET", "HEAD"} else None
                # A form posted after expiry is not replayed: the person comes back to the dashboard.
                return redirect_to_login(
                    next_url or resolve_url(settings.LOGIN_REDIRECT_URL), settings.LOGIN_URL
                )
        return self.get_response(request)
