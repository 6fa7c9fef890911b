"""Each user's chat kept between visits behind a narrow interface (load, save and clear by
owner), so the store behind it can change: today one JSON file per owner in the data dir."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import secrets
import uuid
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

CONVERSATIONS_FOLDER = "conversations"  # under the data dir: each user's chat, for reloads
Message = dict[str, Any]  # one chat message: {"role": ..., "content": ...}
Turn = dict[str, Any]  # one answered question in a session: see ui/chat.py
_BROWSER_ID = re.compile(r"[0-9a-f]{32}")


class Conversations:
    """Each user's chat (its messages and answered turns) kept in <data dir>/conversations/,
    so a page reload, another tab or a server restart shows it again until "New chat". The
    owner is the signed-in name or, without a users file, a random id the browser keeps."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / CONVERSATIONS_FOLDER

    def _path(self, owner: str) -> Path:
        digest = hashlib.sha256(owner.encode("utf-8")).hexdigest()[:32]  # no user text in paths
        return self.folder / f"{digest}.json"

    def load(self, owner: str) -> tuple[list[Message], list[Turn]]:
        """The owner's saved messages and turns; empty when there are none or the file is
        unreadable (logged, never shown as an error)."""
        path = self._path(owner)
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            if saved.get("owner") != owner:
                raise ValueError("the file belongs to another owner")
            return list(saved["messages"]), list(saved["turns"])
        except FileNotFoundError:
            return [], []
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            log.warning("ignoring conversation file %s: %s", path, error)
            return [], []

    def save(self, owner: str, messages: list[Message], turns: list[Turn]) -> None:
        """Replace the owner's saved conversation (written whole, then renamed into place)."""
        if not messages and not turns:
            self.clear(owner)
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(owner)
        temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        blob = {"owner": owner, "messages": messages, "turns": turns}
        temporary.write_text(json.dumps(blob, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)

    def clear(self, owner: str) -> None:
        self._path(owner).unlink(missing_ok=True)

    def secret(self) -> str:
        """The key the browser's id is encrypted with, kept in the folder (mode 0600) so ids,
        and the conversations they own, outlast a server restart."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / ".browser-secret"
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text(encoding="ascii").strip()
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_hex(32))
        return path.read_text(encoding="ascii").strip()


def conversation_owner(user: str | None, browser_id: str | None) -> tuple[str, str]:
    """Whose conversation this page shows, and the browser id to keep: the signed-in user's,
    else the browser's own (a new random one when it has none or an invalid one)."""
    kept = browser_id if browser_id and _BROWSER_ID.fullmatch(browser_id) else uuid.uuid4().hex
    return (f"user:{user}" if user else f"browser:{kept}"), kept
