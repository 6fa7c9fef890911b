"""Who may use a served Footnote: a users file (TOML or JSON) named by FOOTNOTE_AUTH_FILE, each
user with a role (reader: ask and browse; manager: also add and delete documents), a scrypt
password hash for the chat's login and a hashed bearer token for the API. Failed sign-ins are
rate-limited per user and address. Without a users file nobody signs in and everyone manages,
which is only allowed on a loopback address (or with --insecure)."""

from __future__ import annotations

import base64
import contextvars
import hashlib
import hmac
import ipaddress
import json
import logging
import os
import re
import secrets
import tempfile
import threading
import time
import tomllib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from rag.errors import FootnoteError

log = logging.getLogger(__name__)

Role = Literal["reader", "manager"]
ROLES: tuple[Role, ...] = ("reader", "manager")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
TOKEN_PREFIX = "fn_"
# scrypt: 16 MiB of memory and roughly 50 ms per check; salts are per user.
SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_LEN = 2**14, 8, 1, 32
MAX_FAILURES = 5  # failed sign-ins for one user from one address ...
LOCKOUT_S = 60  # ... lock that pair out this long
TRACKED_MAX = 10_000  # failure records kept at most (old ones are forgotten first)
FILE_HEADER = (
    "# Footnote users, written by `footnote user add`: roles, scrypt password hashes and\n"
    "# sha256 hashes of API tokens (the tokens themselves are shown once, never stored).\n"
)

# The address of the request being served, set by ClientAddress for the chat's login check
# (Gradio calls it with the name and password only).
CLIENT: contextvars.ContextVar[str] = contextvars.ContextVar("footnote_client", default="?")


class AuthError(FootnoteError):
    """A sign-in or token was refused; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 401, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    password: str  # "scrypt$N$r$p$salt$hash"
    token: str  # "sha256$hex"

    @property
    def manages(self) -> bool:
        return self.role == "manager"


# --------------------------------------------------------------------------- hashing


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        dklen=SCRYPT_LEN,
        maxmem=64 * 1024 * 1024,
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def check_password(password: str, stored: str) -> bool:
    if len(password) > MAX_PASSWORD:
        return False
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        expected = _unb64(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=_unb64(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=64 * 1024 * 1024,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def hash_token(token: str) -> str:
    return "sha256$" + hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))  # unknown names cost the same time


# --------------------------------------------------------------------------- the file


def read_users(path: Path) -> dict[str, User]:
    """The users in `path` (TOML with [[users]] tables, or JSON {"users": [...]})."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FootnoteError(
            f"users file not found: {path} (create it with `footnote user add NAME`)"
        ) from None
    except OSError as error:
        raise FootnoteError(f"cannot read users file {path}: {error.strerror}") from error
    try:
        text = raw.decode("utf-8")
        data: Any = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (UnicodeDecodeError, ValueError) as error:
        raise FootnoteError(f"users file {path} is not valid: {error}") from error
    rows = data.get("users", []) if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise FootnoteError(f"users file {path}: expected a list of users under `users`")
    users: dict[str, User] = {}
    for index, row in enumerate(rows, start=1):
        try:
            user = User(
                name=str(row["name"]),
                role=row["role"],
                password=str(row["password"]),
                token=str(row.get("token", "")),
            )
        except (KeyError, TypeError):
            raise FootnoteError(
                f"users file {path}: user {index} needs a name, role and password"
            ) from None
        if user.role not in ROLES:
            raise FootnoteError(
                f"users file {path}: user {user.name!r} has role {user.role!r} "
                "(use reader or manager)"
            )
        users[user.name] = user
    return users


def write_users(path: Path, users: dict[str, User]) -> None:
    """Replace `path` atomically with `users`, readable by its owner only."""
    rows = [
        {"name": u.name, "role": u.role, "password": u.password, "token": u.token}
        for u in users.values()
    ]
    if path.suffix.lower() == ".json":
        text = json.dumps({"users": rows}, indent=2) + "\n"
    else:
        tables = [
            "[[users]]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in row.items())
            for row in rows
        ]
        text = FILE_HEADER + "\n" + "\n".join(tables)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".users-", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except OSError as error:
        raise FootnoteError(f"cannot write users file {path}: {error.strerror}") from error


def add_user(path: Path, name: str, role: Role, password: str, replace: bool = False) -> str:
    """Add (or with `replace`, reset) a user; returns their new API token, shown only now."""
    if path.suffix.lower() not in (".toml", ".json"):
        raise FootnoteError(f"users file {path}: name it *.toml or *.json")
    if not NAME.match(name):
        raise FootnoteError(
            f"user name {name!r}: use letters, digits and . _ @ - (at most 64 characters)"
        )
    if role not in ROLES:
        raise FootnoteError(f"role {role!r}: use reader or manager")
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise FootnoteError(f"the password needs {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    users = read_users(path) if path.exists() else {}
    if name in users and not replace:
        raise FootnoteError(
            f"user {name!r} exists in {path}: use --replace to set a new password, role and token"
        )
    token = new_token()
    users[name] = User(name, role, hash_password(password), hash_token(token))
    write_users(path, users)
    return token


def remove_user(path: Path, name: str) -> None:
    users = read_users(path)
    if users.pop(name, None) is None:
        raise FootnoteError(f"no user {name!r} in {path}")
    write_users(path, users)


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

    def __init__(self, path: Path | None, limiter: Limiter | None = None) -> None:
        self.path = path
        self.limiter = limiter or Limiter()
        self._stamp: tuple[int, int] | None = None
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
                stamp = (info.st_mtime_ns, info.st_size)
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
        """Check a chat sign-in; AuthError (429) while that name is locked out from there."""
        key = ("login", name.lower(), address)
        wait = self.limiter.locked_for(key)
        if wait:
            raise _locked_out(f"user {name!r}", wait)
        user = self.users().get(name)
        good = check_password(password, user.password if user else _DUMMY_HASH) and bool(user)
        if good:
            self.limiter.succeeded(key)
            return True
        wait = self.limiter.failed(key)
        if wait:
            raise _locked_out(f"user {name!r}", wait)
        return False

    def bearer(self, token: str | None, address: str) -> User:
        """The user a bearer token belongs to; AuthError (401, or 429 after repeated bad
        tokens from one address)."""
        key = ("token", address)
        wait = self.limiter.locked_for(key)
        if wait:
            raise _locked_out("API tokens", wait)
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
            self.limiter.succeeded(key)
            return found
        wait = self.limiter.failed(key)
        if wait:
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


def _locked_out(what: str, seconds: int) -> AuthError:
    return AuthError(
        f"too many failed sign-ins for {what} from your address: try again in {seconds} s",
        status=429,
        retry_after=seconds,
    )


LOGIN_MESSAGE = (
    "Sign in with your Footnote account (a manager creates it with "
    f"<code>footnote user add</code>). After {MAX_FAILURES} failed attempts, signing in as that "
    f"user from your address is locked for {LOCKOUT_S} seconds: the page then keeps saying the "
    "credentials are incorrect until the time is up."
)


class ClientAddress:
    """ASGI middleware recording each request's client address in CLIENT."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
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
