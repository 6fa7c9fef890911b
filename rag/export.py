"""Answers as files people keep: Markdown, standalone HTML, JSON and PDF (rag/export_formats.py,
rag/export_pdf.py), each with footnotes naming the title, file, quoted span and content hash of
every cited document (linked), the engine and settings that produced the answer and when it was
asked, and the answer record's permalink; here the metadata is gathered and the files are named
and written, each in a folder of its own whose name nobody can guess, with the name of the user
it belongs to beside it."""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from rag.errors import FootnoteError
from rag.export_formats import Exchange, ExportMeta, to_html, to_json, to_markdown
from rag.export_pdf import to_pdf
from rag.types import Answer
from rag.view import notes

if TYPE_CHECKING:
    from rag.settings import Settings
    from rag.store import Store

Format = Literal["markdown", "html", "json", "pdf"]
EXTENSIONS: dict[str, Format] = {".md": "markdown", ".html": "html", ".json": "json", ".pdf": "pdf"}
SUFFIX: dict[Format, str] = {fmt: ext for ext, fmt in EXTENSIONS.items()}
EXPORTS_FOLDER = "exports"
OWNER_FILE = ".owner"  # beside each export: the name of the user it was made for ("": nobody)
KEY = re.compile(r"^[A-Za-z0-9_-]{22}$")  # an export's folder: 128 random bits, url-safe
SLUG_MAX = 60
# The settings that decide what an answer says; recorded with every export.
ANSWER_SETTINGS = (
    "retriever",
    "dense_weight",
    "top_k",
    "answer_passages",
    "max_answer_sentences",
    "min_support",
    "chunk_tokens",
    "chunk_overlap_tokens",
    "unsupported",
)
LLM_SETTINGS = ("llm_model", "llm_base_url")  # recorded too when an LLM wrote the answer


def shown_sources(answer: Answer) -> list[str]:
    """The documents an export footnotes: those of the answer's notes (rag/view.py), the cited
    ones or the closest shown on abstention."""
    return list(dict.fromkeys(note.source for note in notes(answer)))


def describe(
    answer: Answer, store: Store, settings: Settings, asked_at: datetime | None = None
) -> ExportMeta:
    """The export metadata of `answer`: hashes from the store, engine and settings."""
    hashes: dict[str, str | None] = {}
    dates: dict[str, str | None] = {}
    sources = shown_sources(answer)
    listed = store.committed_records(sources)
    for source in sources:
        if (info := listed.get(source)) is not None:
            hashes[source], dates[source] = info.content_hash, info.published or None
            continue
        try:  # a name held as an alias of an identical file, or no longer stored
            document = store.get_document(source)
        except FootnoteError:
            hashes[source] = dates[source] = None
        else:
            hashes[source], dates[source] = document.content_hash, document.published
    engine = str(getattr(answer, "engine", None) or settings.engine)
    fields = set(ANSWER_SETTINGS) | (set(LLM_SETTINGS) if engine != "extractive" else set())
    return ExportMeta(
        asked_at=(asked_at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0),
        engine=engine,
        settings=settings.model_dump(mode="json", include=fields),
        document_hashes=hashes,
        document_dates=dates,
        public_url=settings.public_url,
    )


def format_for(path: Path | str) -> Format:
    """The export format named by a file's extension, or an error listing the known ones."""
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        known = ", ".join(EXTENSIONS)
        raise FootnoteError(f"unknown export format {suffix or '(none)'!r}: use {known}")
    return EXTENSIONS[suffix]


def render(exchanges: Sequence[Exchange], fmt: Format, conversation: bool = False) -> bytes:
    """`exchanges` in `fmt`: one answer, or with `conversation` the whole conversation."""
    if not exchanges:
        raise FootnoteError("nothing to export: no answer yet")
    if not conversation and len(exchanges) != 1:
        raise FootnoteError("a single-answer export takes exactly one answer")
    if fmt == "markdown":
        return to_markdown(exchanges, conversation).encode("utf-8")
    if fmt == "html":
        return to_html(exchanges, conversation).encode("utf-8")
    if fmt == "json":
        return to_json(exchanges, conversation).encode("utf-8")
    if fmt == "pdf":
        return to_pdf(exchanges, conversation)
    raise FootnoteError(f"unknown export format {fmt!r}")


def slugify(text: str) -> str:
    """`text` as a file-name part: lowercase a-z, 0-9 and '-', at most 60 characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].strip("-") or "answer"


def export_name(question: str, fmt: Format, when: datetime, conversation: bool = False) -> str:
    """A safe file name: slug of the question, `-conversation` if so, UTC timestamp, suffix."""
    kind = "-conversation" if conversation else ""
    stamp = when.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    return f"{slugify(question)}{kind}-{stamp}{SUFFIX[fmt]}"


def exports_dir(data_dir: Path) -> Path:
    return data_dir / EXPORTS_FOLDER


def save(
    data_dir: Path,
    exchanges: Sequence[Exchange],
    fmt: Format,
    conversation: bool = False,
    owner: str = "",
) -> Path:
    """Render and write an export as `<data_dir>/exports/<key>/<name>`: the key 128 random
    bits, the name generated (never a path taken from user text), `owner` recorded beside it
    for whoever serves it to check."""
    content = render(exchanges, fmt, conversation)
    root = exports_dir(data_dir)
    try:
        root.mkdir(parents=True, exist_ok=True)
        folder = root.resolve() / secrets.token_urlsafe(16)
        folder.mkdir()
        name = export_name(exchanges[0].answer.question, fmt, datetime.now(UTC), conversation)
        path = folder / name
        if path.resolve().parent != folder:  # cannot happen with a slug; checked anyway
            raise FootnoteError(f"refusing to write outside {folder}")
        (folder / OWNER_FILE).write_text(owner, encoding="utf-8")
        path.write_bytes(content)
    except OSError as error:
        raise FootnoteError(f"cannot write the export in {root}: {error.strerror}") from error
    return path


def find(data_dir: Path, key: str, name: str) -> tuple[Path, str] | None:
    """The export saved as `key`/`name` and the user it belongs to; None if there is none
    (or the key or name could not be one)."""
    if not KEY.match(key) or name.startswith(".") or Path(name).name != name:
        return None
    folder = exports_dir(data_dir) / key
    path = folder / name
    try:
        if not path.is_file() or path.is_symlink():
            return None
        return path, (folder / OWNER_FILE).read_text(encoding="utf-8")
    except OSError:
        return None


def write_to(path: Path, exchanges: Sequence[Exchange], conversation: bool = False) -> Format:
    """Write an export to a path the user named (the CLI's `--export FILE`); format from the
    extension."""
    fmt = format_for(path)
    content = render(exchanges, fmt, conversation)
    try:
        path.write_bytes(content)
    except OSError as error:
        raise FootnoteError(f"cannot write export {path}: {error.strerror}") from error
    return fmt
