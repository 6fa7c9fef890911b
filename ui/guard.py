"""What keeps a web page on another origin from using a served Footnote through its visitor's
browser: state-changing requests are accepted only from this origin (or FOOTNOTE_ALLOWED_ORIGINS),
a server nobody signs in to answers only to localhost names (DNS rebinding), and the chat's
login cookies are SameSite=Lax and HttpOnly (Secure over HTTPS). It also ends a chat session
on the next request once its user is removed or their password changed, or once it has been
idle or open too long (FOOTNOTE_SESSION_IDLE_HOURS, FOOTNOTE_SESSION_MAX_DAYS). docs/security.md."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.responses import JSONResponse

from ui.asgi import HttpMiddleware
from ui.auth import SIGNED_IN, Access, is_loopback
from ui.users import User

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# What a page on another origin may send without asking first (a CORS "simple" request).
SIMPLE_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"})
DEFAULT_PORTS = {"http": "80", "https": "443"}
CHECK_HEADERS = ("authorization", "x-requested-with")  # a page elsewhere cannot send these
SETTINGS_HINT = "FOOTNOTE_ALLOWED_ORIGINS lists the other origins allowed"


def _netloc(scheme: str, netloc: str) -> str:
    """host[:port] lowercased, without the scheme's default port."""
    netloc = netloc.lower()
    default = DEFAULT_PORTS.get(scheme.lower())
    return netloc.removesuffix(f":{default}") if default else netloc


def cross_origin_refusal(method: str, headers: Headers, allowed: list[str]) -> str | None:
    """Why a state-changing request must be refused as coming from a page on another origin
    (None: accept it). Browsers say where a request comes from (Sec-Fetch-Site; Origin on
    every POST and DELETE); a request saying neither is not from a current browser page, and
    is accepted unless it looks like an old browser's form post."""
    if method in SAFE_METHODS:
        return None
    origin = headers.get("origin")
    if origin is not None and origin.lower() in allowed:
        return None
    site = headers.get("sec-fetch-site")
    if site is not None and site.lower() in ("same-origin", "none"):
        return None
    if site is not None:
        return f"refused a {site} request from {origin or 'another site'}: {SETTINGS_HINT}"
    if origin is None:
        return _origin_less_form(method, headers)
    parts = urlsplit(origin)
    if origin != "null" and _netloc(parts.scheme, parts.netloc) == _netloc(
        parts.scheme, headers.get("host", "")
    ):
        return None
    return f"refused a request from {origin}, a page on another origin: {SETTINGS_HINT}"


def _origin_less_form(method: str, headers: Headers) -> str | None:
    """A browser's form post without Origin (browsers before 2020): refused unless it carries
    a header no page elsewhere could have added. curl and scripts are not browsers."""
    media_type = headers.get("content-type", "").split(";")[0].strip().lower()
    simple = method == "POST" and media_type in SIMPLE_TYPES | {""}
    browser = "mozilla/" in headers.get("user-agent", "").lower()
    if simple and browser and not any(name in headers for name in CHECK_HEADERS):
        return (
            "refused a form post without an Origin header from a browser: "
            "send it with an `X-Requested-With` header"
        )
    return None


def host_refusal(scope: dict[str, Any], headers: Headers, allowed: list[str]) -> str | None:
    """Why a request to a server nobody signs in to, reached on a loopback address, names a
    host that is not a localhost name (None: fine): a page whose DNS name was re-pointed at
    127.0.0.1 would otherwise be "same-origin" with it."""
    server = scope.get("server")
    if not server or not is_loopback(str(server[0])):
        return None
    host = headers.get("host", "")
    name = urlsplit(f"//{host}").hostname or ""
    if is_loopback(name) or name.endswith(".localhost"):
        return None
    if any(urlsplit(origin).hostname == name for origin in allowed):
        return None
    return (
        f"refused a request for host {host!r}: without a users file this server answers to "
        f"localhost names only ({SETTINGS_HINT})"
    )


@dataclass
class Session:
    """What a chat session was opened with, and when it was opened and last used."""

    password: str
    opened_at: float
    used_at: float


class ChatSessions:
    """The chat's logins (Gradio keeps them in memory: `tokens`, under cookies named by its
    `cookie_id`), each checked on every request against the users file and the clock: a
    session ends once its user is gone or has a new password, after `idle_s` unused or
    `lifetime_s` after it was opened."""

    def __init__(
        self,
        chat_app: Any,
        access: Access,
        idle_s: float,
        lifetime_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.tokens: dict[str, str] = chat_app.tokens
        self.cookies = (
            f"access-token-{chat_app.cookie_id}",
            f"access-token-unsecure-{chat_app.cookie_id}",
        )
        self.access = access
        self.idle_s, self.lifetime_s, self.clock = idle_s, lifetime_s, clock
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def opened(self, token: str, user: User) -> None:
        """Remember a new session's password and time; forget those ended or expired."""
        now = self.clock()
        with self._lock:
            for stale, session in list(self._sessions.items()):
                if stale not in self.tokens or self._expired(session, now):
                    self._end(stale)
            self._sessions[token] = Session(user.password, now, now)

    def user(self, cookie_header: str) -> str | None:
        """The user a request's login cookie names, if that session still stands (it counts
        as used now); a session that does not is ended, so Gradio refuses the request too."""
        cookies = cookie_parser(cookie_header)
        now = self.clock()
        for cookie in self.cookies:
            token = cookies.get(cookie)
            if not token or token not in self.tokens:
                continue
            with self._lock:
                if (name := self.tokens.get(token)) is None:
                    continue  # signed out meanwhile
                user = self.access.users().get(name)
                session = self._sessions.get(token)
                if user is None or session is None or session.password != user.password:
                    reason: str | None = "user removed or password changed"
                elif (reason := self._expired(session, now)) is None:
                    session.used_at = now
                    return name
                self._end(token)
            log.info("ended %s's chat session: %s", name, reason)
        return None

    def end(self, cookie_header: str) -> str | None:
        """Sign out the session a request's login cookie names; whose it was."""
        cookies = cookie_parser(cookie_header)
        with self._lock:
            for token in filter(None, (cookies.get(cookie) for cookie in self.cookies)):
                if (name := self.tokens.get(token)) is not None:
                    self._end(token)
                    return name
        return None

    def _end(self, token: str) -> None:
        self.tokens.pop(token, None)
        self._sessions.pop(token, None)

    def _expired(self, session: Session, now: float) -> str | None:
        """Why a session is over by the clock (None: it is not)."""
        if now - session.opened_at >= self.lifetime_s:
            return f"signed in more than {self.lifetime_s / 86400:g} days ago"
        if now - session.used_at >= self.idle_s:
            return f"unused for {self.idle_s / 3600:g} hours"
        return None

    def policy(self, header: str, https: bool) -> str:
        """A login cookie as we set it: HttpOnly, SameSite=Lax, Secure over HTTPS."""
        name_value, *attributes = [part.strip() for part in header.split(";")]
        if name_value.split("=", 1)[0] not in self.cookies:
            return header
        kept = [
            attribute
            for attribute in attributes
            if attribute.split("=", 1)[0].strip().lower() not in ("samesite", "secure", "httponly")
        ]
        return "; ".join([name_value, *kept, "HttpOnly", "SameSite=Lax", *(["Secure"] * https)])


class Guard(HttpMiddleware):
    """ASGI middleware around the whole app (API and chat): refuses requests from pages on
    other origins and unknown hosts, ends stale chat sessions before the chat sees them,
    records the sessions the chat opens and sets the policy of its cookies."""

    async def http(self, scope: Any, receive: Any, send: Any) -> None:
        state = scope["app"].state  # the app this middleware wraps (Starlette sets it)
        access: Access = state.service.access
        allowed: list[str] = state.service.settings.allowed_origins
        headers = Headers(scope=scope)
        refusal = cross_origin_refusal(scope["method"], headers, allowed)
        if refusal is None and not access.enabled:
            refusal = host_refusal(scope, headers, allowed)
        if refusal is not None:
            log.warning("%s %s: %s", scope["method"], scope["path"], refusal)
            await JSONResponse({"detail": refusal}, status_code=403)(scope, receive, send)
            return
        sessions: ChatSessions | None = getattr(state, "sessions", None)
        if sessions is None:
            await self.app(scope, receive, send)
            return
        sessions.user(headers.get("cookie", ""))
        signed_in: dict[str, User] = {}
        https = scope.get("scheme") == "https"

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _cookies_set(message["headers"], sessions, https, signed_in)
            await send(message)

        token = SIGNED_IN.set(signed_in)
        try:
            await self.app(scope, receive, sending)
        finally:
            SIGNED_IN.reset(token)


def _cookies_set(
    raw: list[tuple[bytes, bytes]], sessions: ChatSessions, https: bool, signed_in: dict[str, User]
) -> list[tuple[bytes, bytes]]:
    """The response headers with the login cookies' policy set, recording a session opened."""
    headers = []
    for name, value in raw:
        if name.lower() == b"set-cookie":
            cookie = value.decode("latin-1")
            name_value = cookie.split(";", 1)[0]
            cookie_name, _, token = name_value.partition("=")
            if cookie_name == sessions.cookies[0] and token and "user" in signed_in:
                sessions.opened(token, signed_in["user"])
            value = sessions.policy(cookie, https).encode("latin-1")
        headers.append((name, value))
    return headers
