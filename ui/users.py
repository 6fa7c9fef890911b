"""The users file (TOML or JSON) FOOTNOTE_AUTH_FILE names: each user's name, role (reader: ask
and browse; manager: also add and delete documents), scrypt password hash and the sha256 hash
of their API token, read, written and changed by `footnote user`."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from rag.errors import FootnoteError

Role = Literal["reader", "manager"]
ROLES: tuple[Role, ...] = ("reader", "manager")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
TOKEN_PREFIX = "fn_"
# scrypt: 16 MiB of memory and roughly 50 ms per check; salts are per user.
SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_LEN = 2**14, 8, 1, 32
FILE_HEADER = (
    "# Footnote users, written by `footnote user add`: roles, scrypt password hashes and\n"
    "# sha256 hashes of API tokens (the tokens themselves are shown once, never stored).\n"
)


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


DUMMY_HASH = hash_password(secrets.token_urlsafe(16))  # unknown names cost the same time


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
