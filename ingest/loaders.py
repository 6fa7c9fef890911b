"""File → Document (decoded text, title); a file we cannot read raises LoadError with why."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from rag.types import Document

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_TITLE_LINE = re.compile(r"^title:[ \t]*(.+?)[ \t]*$", re.MULTILINE | re.IGNORECASE)
_BOILERPLATE = re.compile(r"^\W*(skip to (main )?content|menu|search|home)\b", re.IGNORECASE)
_GLUED_WORDS = re.compile(r"[a-z]{3,}[A-Z][a-z]{2,}")


class LoadError(Exception):
    """A file that cannot be ingested; the message says why."""


def load_document(path: Path, source: str) -> Document:
    """Read one supported file; raise LoadError naming the reason if it cannot be used."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise LoadError(f"unsupported file type {path.suffix or '(none)'!r}")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise LoadError(f"cannot read file: {error.strerror or error}") from error
    if b"\x00" in raw[:8192]:
        raise LoadError("binary data, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LoadError(f"not UTF-8 text (invalid byte at offset {error.start})") from error
    if not text.strip():
        raise LoadError("empty file")
    front = _FRONT_MATTER.match(text)
    body_start = front.end() if front else 0
    if not text[body_start:].strip():
        raise LoadError("no text after the front matter")
    title = _front_matter_title(front.group(1)) if front else None
    return Document(
        source=source,
        title=title or guess_title(text[body_start:]) or path.stem,
        text=text,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        body_start=body_start,
    )


def _front_matter_title(block: str) -> str | None:
    match = _TITLE_LINE.search(block)
    if not match:
        return None
    return match.group(1).strip().strip("\"'").strip() or None


def guess_title(body: str) -> str | None:
    """The first line that reads like a headline (web-page dumps start with navigation);
    failing that, the first non-empty line."""
    lines = [line.strip().lstrip("#").strip() for line in body.splitlines() if line.strip()]
    for line in lines[:12]:
        words = line.split()
        if (
            3 <= len(words) <= 16
            and line[0].isupper()
            and not line.endswith((".", ":", ","))
            and not _BOILERPLATE.match(line)
            and not _GLUED_WORDS.search(line)
        ):
            return line
    return lines[0][:200] if lines else None
