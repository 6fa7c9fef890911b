"""Opening Chroma: embedded under the data dir, or a server by its URL (FOOTNOTE_CHROMA_URL),
with errors that name the place and the reason."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from rag.errors import Busy, FootnoteError


def open_client(chroma_dir: Path, url: str) -> Any:
    """A Chroma client: the server at `url`, or embedded in `chroma_dir` when `url` is ""."""
    return _server_client(url) if url else _embedded_client(chroma_dir)


@contextmanager
def reaching(url: str) -> Iterator[None]:
    """Turn a Chroma server that stops answering inside the block into one clear error
    naming it, instead of an HTTP client's traceback (a 500 in the API)."""
    try:
        yield
    except httpx.TransportError as error:
        if not url or not _sent_to(error, url):
            raise  # another server's (an LLM endpoint's) problem, reported where it is called
        raise Busy(
            f"lost the Chroma server at {url} ({error}); what was committed before is kept: "
            "try again once it is back"
        ) from error


def _sent_to(error: httpx.TransportError, url: str) -> bool:
    try:
        return str(error.request.url).startswith(url.rstrip("/"))
    except RuntimeError:  # an error raised without its request
        return False


def forget_embedded(client: Any) -> None:
    """Drop chromadb's cached system behind an embedded client, so the next client opened on
    the same folder reads it afresh from disk (its vector index included)."""
    from chromadb.api.shared_system_client import SharedSystemClient

    identifier = getattr(client, "_identifier", None)
    if identifier is not None:
        SharedSystemClient._identifier_to_system.pop(identifier, None)
        SharedSystemClient._identifier_to_refcount.pop(identifier, None)


def _embedded_client(chroma_dir: Path) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    try:
        chroma_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(
            path=str(chroma_dir),
            settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False),
        )
    except OSError as error:
        raise FootnoteError(f"cannot open the store at {chroma_dir}: {error}") from error


def _server_client(url: str) -> Any:
    """chromadb.HttpClient for http(s)://host:port."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FootnoteError(f"FOOTNOTE_CHROMA_URL must look like http://host:port, not {url!r}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 8000)
    except ValueError as error:
        raise FootnoteError(f"bad port in FOOTNOTE_CHROMA_URL {url!r}") from error
    try:
        return chromadb.HttpClient(
            host=parts.hostname,
            port=port,
            ssl=parts.scheme == "https",
            settings=ChromaSettings(anonymized_telemetry=False),
        )
    except Exception as error:  # chromadb raises ValueError or httpx errors when unreachable
        raise FootnoteError(f"cannot reach the Chroma server at {url}: {error}") from error
