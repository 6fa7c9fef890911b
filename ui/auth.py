"""Who may use a served Footnote: the users of the users file (ui/users.py) sign in to the chat
with their password and call the API with their bearer token. Failed sign-ins lock a user out
per address and, after more, everywhere; bad tokens are refused faster per address and token
prefix, never a valid token. Without a users file nobody signs in and everyone manages, which
is only allowed on a loopback address (or with --insecure)."""

from __future__ import annotations

import contextvars
import hmac
import ipaddress
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rag.errors import FootnoteError
from ui.asgi import HttpMiddleware
from ui.users import DUMMY_HASH, Role, User, check_password, hash_token, read_users

log = logging.getLogger(__name__)

MAX_FAILURES = 5  # failed sign-ins for one user from one address ...
LOCKOUT_S = 60  # ... lock that pair out this long
ACCOUNT_MAX_FAILURES = 20  # failed sign-ins for one user from anywhere lock the user out
ADDRESS_TOKEN_FAILURES = 20  # bad tokens from one address (any prefix) refuse its bad tokens
TOKEN_PREFIX_CHARS = 11  # "fn_" and 8 characters: what tells tokens apart in lockouts
TRACKED_MAX = 10_000  # failure records kept at most (old ones are forgotten first)

# The address of the request being served, set by ClientAddress for the chat's login check
# (Gradio calls it with the name and password only).
CLIENT: contextvars.ContextVar[str] = contextvars.ContextVar("footnote_client", default="?")
# Where the chat's login check leaves the user it let in, for the middleware that records the
# session Gradio then opens (ui/guard.py); a dict per request, set by that middleware.
SIGNED_IN: contextvars.ContextVar[dict[str, User] | None] = contextvars.ContextVar(
    "footnote_signed_in", default=None
)


class AuthError(FootnoteError):
    """A sign-in or token was refused; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 401, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


# --------------------------------------------------------------------------- limits


class Limiter:
    """Counts failed sign-ins per key; MAX_FAILURES within LOCKOUT_S locks the key for
    LOCKOUT_S. A success clears the key."""

    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        lockout_s: float = LOCKOUT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.lockout_s = lockout_s
        self.clock = clock
        self._failures: dict[Any, list[float]] = {}
        self._locked: dict[Any, float] = {}
        self._lock = threading.Lock()

    def locked_for(self, key: Any) -> int:
        """Seconds the key stays locked (0: not locked)."""
        with self._lock:
            until = self._locked.get(key, 0.0)
            left = until - self.clock()
            if left <= 0:
                self._locked.pop(key, None)
                return 0
            return max(1, int(left + 0.999))

    def failed(self, key: Any) -> int:
        """Record a failure; the seconds of lockout it caused (0: none yet)."""
        with self._lock:
            now = self.clock()
            recent = [t for t in self._failures.get(key, []) if now - t < self.lockout_s]
            recent.append(now)
            if len(recent) >= self.max_failures:
                self._failures.pop(key, None)
                self._locked[key] = now + self.lockout_s
                return int(self.lockout_s)
            self._failures[key] = recent
            if len(self._failures) > TRACKED_MAX:
                self._forget(now)
            return 0

    def succeeded(self, key: Any) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _forget(self, now: float) -> None:
        for key in [k for k, times in self._failures.items() if now - times[-1] >= self.lockout_s]:
            del self._failures[key]
        while len(self._failures) > TRACKED_MAX:  # all recent: drop the oldest
            del self._failures[next(iter(self._failures))]
        for key in [k for k, until in self._locked.items() if until <= now]:
            del self._locked[key]


# --------------------------------------------------------------------------- access


class Access:
    """The server's view of its users (re-read when the file changes, so `footnote user add`
    takes effect without a restart) and of failed sign-ins."""

    def __init__(
        self,
        path: Path | None,
        limiter: Limiter | None = None,
        account_limiter: Limiter | None = None,
    ) -> None:
        self.path = path
        self.limiter = limiter or Limiter()  # per (user, address) and (token prefix, address)
        self.account_limiter = account_limiter or Limiter(ACCOUNT_MAX_FAILURES)  # per user
        self.address_limiter = Limiter(ADDRESS_TOKEN_FAILURES)  # bad tokens per address
        self._stamp: tuple[int, int, int] | None = None  # inode, mtime, size
        self._users: dict[str, User] = {}
        self._loaded = False
        self._lock = threading.Lock()
        if path is not None and not self.users():
            raise FootnoteError(f"users file {path} has no users: add one with `footnote user add`")

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def users(self) -> dict[str, User]:
        if self.path is None:
            return {}
        with self._lock:
            try:
                info = self.path.stat()
                stamp = (info.st_ino, info.st_mtime_ns, info.st_size)  # a new file: new inode
            except OSError:
                stamp = None
            if stamp is None or stamp != self._stamp:
                try:
                    users = read_users(self.path)
                except FootnoteError as error:
                    if not self._loaded:
                        raise
                    log.warning("%s; keeping the users read before", error)
                    return self._users
                self._users, self._stamp, self._loaded = users, stamp, True
            return self._users

    def role(self, name: str | None) -> Role | None:
        """The role of a signed-in user; without a users file everyone manages."""
        if not self.enabled:
            return "manager"
        user = self.users().get(name or "")
        return user.role if user else None

    def login(self, name: str, password: str, address: str) -> bool:
        """Check a chat sign-in; AuthError (429) while that name is locked out from there, or
        everywhere after ACCOUNT_MAX_FAILURES failures. The user let in is left in SIGNED_IN."""
        pair, account = ("login", name.lower(), address), ("account", name.lower())
        if wait := self.limiter.locked_for(pair):
            raise _locked_out(f"user {name!r}", wait)
        if wait := self.account_limiter.locked_for(account):
            raise _locked_out(f"user {name!r}", wait, anywhere=True)
        user = self.users().get(name)
        good = check_password(password, user.password if user else DUMMY_HASH) and bool(user)
        if good and user is not None:
            self.limiter.succeeded(pair)
            if (holder := SIGNED_IN.get()) is not None:
                holder["user"] = user
            return True
        here, anywhere = self.limiter.failed(pair), self.account_limiter.failed(account)
        if anywhere:
            raise _locked_out(f"user {name!r}", anywhere, anywhere=True)
        if here:
            raise _locked_out(f"user {name!r}", here)
        return False

    def bearer(self, token: str | None, address: str) -> User:
        """The user a bearer token belongs to; AuthError 401, or 429 for a bad token after
        repeated bad tokens with its prefix (or any) from that address. A valid token is
        never refused: the lockout only slows guessing."""
        if not token:
            raise AuthError(
                "send `Authorization: Bearer <token>` (`footnote user add` prints a user's token)"
            )
        digest = hash_token(token)
        found = None
        for user in self.users().values():
            if user.token and hmac.compare_digest(user.token, digest):
                found = user
        if found is not None:
            return found
        counted = (
            (self.limiter, ("token", token[:TOKEN_PREFIX_CHARS], address)),
            (self.address_limiter, ("tokens", address)),
        )
        if wait := max(limiter.locked_for(key) for limiter, key in counted):
            raise _locked_out("API tokens", wait)
        if wait := max([limiter.failed(key) for limiter, key in counted]):
            raise _locked_out("API tokens", wait)
        raise AuthError("the bearer token is not valid")

    def gradio_auth(self) -> Callable[[str, str], Awaitable[bool]]:
        """The chat's `auth=` callable: checks the password off the event loop, with the
        address ClientAddress recorded for the request."""
        import anyio.to_thread
        from fastapi import HTTPException

        async def check(name: str, password: str) -> bool:
            address = CLIENT.get()
            try:
                return await anyio.to_thread.run_sync(self.login, name, password, address)
            except AuthError as error:
                # The login page shows its own text for any 400; scripts get the reason.
                headers = {"Retry-After": str(error.retry_after)} if error.retry_after else None
                raise HTTPException(400, detail=str(error), headers=headers) from None

        return check


def _locked_out(what: str, seconds: int, anywhere: bool = False) -> AuthError:
    where = "" if anywhere else " from your address"
    return AuthError(
        f"too many failed sign-ins for {what}{where}: try again in {seconds} s",
        status=429,
        retry_after=seconds,
    )


LOGIN_MESSAGE = (
    "Sign in with your Footnote account (a manager creates it with "
    f"<code>footnote user add</code>). After {MAX_FAILURES} failed attempts, signing in as that "
    f"user from your address is locked for {LOCKOUT_S} seconds (after {ACCOUNT_MAX_FAILURES} "
    "from anywhere, from every address): the page then keeps saying the credentials are "
    "incorrect until the time is up."
)


class ClientAddress(HttpMiddleware):
    """ASGI middleware recording each request's client address in CLIENT."""

    async def http(self, scope: Any, receive: Any, send: Any) -> None:
        client = scope.get("client")
        token = CLIENT.set(str(client[0]) if client else "?")
        try:
            await self.app(scope, receive, send)
        finally:
            CLIENT.reset(token)


def is_loopback(host: str) -> bool:
    """Whether `host` only accepts connections from this machine."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
