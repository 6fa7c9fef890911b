"""The product's currency: documents, chunks, retrieved passages, citations and answers, and
the filters that say which documents a question may draw on."""

from __future__ import annotations

import bisect
import fnmatch
import hashlib
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from rag.errors import Invalid

_PAGE = "Page number (1-based) where it starts, for paginated sources such as PDF."
DOCUMENT_TYPES = ("txt", "md", "html", "pdf", "docx")  # Document.file_type values
_TYPE_ALIASES = {"htm": "html", "markdown": "md"}  # as file suffixes spell them
_ISO_DAY = re.compile(r"\s*(\d{4}-\d{2}-\d{2})(?=$|[T ])")
_WRITTEN_DAYS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d")


class Document(BaseModel):
    """One source file as stored: its full decoded text is what citation spans index."""

    source: str = Field(description="File name relative to the ingested folder.")
    title: str
    text: str
    content_hash: str = Field(description="sha256 of the file's bytes, for idempotent re-ingest.")
    body_start: int = Field(0, description="Where the text proper begins (after front matter).")
    file_type: str = Field("", description="txt, md, html, pdf or docx.")
    url: str | None = Field(None, description="Canonical address, from the file's metadata.")
    published: str | None = Field(None, description="Publication date as the file states it.")
    page_starts: list[int] = Field([], description="Offset in text where each page begins.")
    root: str = Field("", description="The folder it was synced from (absolute path).")
    aliases: dict[str, str] = Field(
        {}, description="Other names of identical files, each with the folder it came from."
    )

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding text[offset], or None if the source has no pages."""
        return bisect.bisect_right(self.page_starts, offset) if self.page_starts else None


def version_key(source: str, content_hash: str) -> str:
    """Names one version of one document: chunk ids start with it and chunks carry it, so a
    new version never reuses an id and readers can tell committed chunks from others."""
    source_key = hashlib.sha256(source.encode("utf-8")).hexdigest()[:10]
    return f"{source_key}-{content_hash[:10]}"


def chunk_id(version: str, index: int) -> str:
    """The id of a version's `index`th chunk (and of its derived record: rag/store_derived.py),
    so a reader can read a version's records by id, not by a metadata filter."""
    return f"{version}-{index:04d}"


class Chunk(BaseModel):
    """A slice of a document: text == document.text[start_char:end_char]."""

    chunk_id: str
    source: str
    title: str
    start_char: int
    end_char: int
    text: str
    content_hash: str
    page: int | None = Field(None, description=_PAGE)


class ChunkSpan(BaseModel):
    """Where one stored chunk sits in its document's text."""

    chunk_id: str
    start_char: int
    end_char: int


class Passage(BaseModel):
    """A retrieved chunk, or a hit widened by its neighbours, with its rank score (higher is
    better)."""

    source: str
    title: str
    chunk_id: str = Field(description="The chunk that was hit (the best-ranked, if merged).")
    score: float
    start_char: int
    end_char: int
    text: str
    page: int | None = Field(None, description=_PAGE, exclude_if=lambda page: page is None)
    chunks: list[ChunkSpan] = Field(
        [],
        description="The stored chunks a widened passage spans, in text order; empty (and "
        "left out of JSON) when the passage is the one chunk `chunk_id`.",
        exclude_if=lambda chunks: not chunks,
    )

    def chunk_holding(self, start: int, end: int) -> str:
        """The id of the chunk sharing most of text[start:end] (the hit's on a tie), so that
        a citation of a widened passage names the chunk its quote is in."""
        spans = sorted(self.chunks, key=lambda span: span.chunk_id != self.chunk_id)
        best = max(
            spans,
            key=lambda span: min(end, span.end_char) - max(start, span.start_char),
            default=None,
        )
        return best.chunk_id if best is not None else self.chunk_id


class Citation(BaseModel):
    """What `[n]` resolves to: quote == document text[start_char:end_char]."""

    n: int
    source: str
    title: str
    chunk_id: str
    start_char: int
    end_char: int
    quote: str
    page: int | None = Field(None, description=_PAGE, exclude_if=lambda page: page is None)


class ShortAnswer(BaseModel):
    """The direct answer said on its own: `quote` == document text[start_char:end_char]; `text`
    is those words or a light rewording of them ("No: ...", "Because ...")."""

    text: str
    source: str
    start_char: int
    end_char: int
    quote: str


class SentenceCheck(BaseModel):
    """How well one answer sentence is backed by the passages it cites."""

    text: str = Field(description="The sentence as shown, with its [n] markers.")
    citations: list[int] = Field(description="The valid citation numbers it carries.")
    supported: bool
    lexical: float = Field(description="Share of its content words found in the cited text.")
    similarity: float = Field(description="Embedding similarity to the cited text.")
    missing: list[str] = Field([], description="Numbers or names absent from the cited text.")
    invalid_citations: list[int] = Field(
        [], description="Numbers it carried that name no citation (dropped, never shown)."
    )


class Answer(BaseModel):
    """One answer as the CLI, the chat, exports and evaluation all see it."""

    question: str
    answer: str = Field(description="Text with [n] markers resolving to citations.")
    abstained: bool
    short_answer: ShortAnswer | None = Field(
        None, description="The direct answer the text leads with; null when there is none."
    )
    citations: list[Citation] = []
    retrieved: list[Passage] = []
    latency_ms: float = 0.0
    engine: str = "extractive"
    standalone_question: str | None = Field(
        None, description="The follow-up rewritten as a standalone question, if it was one."
    )
    support: float = Field(1.0, description="Share of answer sentences that are supported.")
    evidence: float = Field(
        0.0, description="How well the best passage sentence covers the question (0-1)."
    )
    sentences: list[SentenceCheck] = []
    notice: str | None = Field(None, description="e.g. why the extractive fallback was used.")
    searches: list[str] = Field(
        [],
        description="What was searched for, in order, when that was not just the question: "
        "a two-hop question's description, then the question with it resolved (rag/hops.py).",
    )
    language: str | None = Field(
        None,
        description="The question's language (ISO 639-1) when it seems not to be English: "
        'the answer (instead of "not found") or its notice says that the documents are '
        "searched in English.",
    )
    record_id: str | None = Field(
        None,
        description="The answer record it was saved as (docs/records.md); absent when unsaved.",
        exclude_if=lambda record_id: record_id is None,
    )

    @property
    def searched_for(self) -> list[str]:
        """The searches a reader is shown: the rewritten follow-up, then any later ones."""
        first = [self.standalone_question] if self.standalone_question else []
        return first + [search for search in self.searches if search not in first]


class InvalidFilter(Invalid):
    """A filter value that cannot be used: `field` names it (source, after, before, types)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class Filters(BaseModel):
    """Which documents a question may draw on: by name (a glob), by publication date (both
    days included; documents without a readable date are left out when either is set) and by
    file type. Empty fields filter nothing."""

    model_config = ConfigDict(frozen=True)

    source: str = Field(
        "",
        max_length=200,
        description="File-name glob (`*.pdf`, `reports/2024-*`), case-insensitive; without "
        "* ? or [ it matches names containing it.",
    )
    after: date | None = Field(None, description="Published on or after this day.")
    before: date | None = Field(None, description="Published on or before this day.")
    types: tuple[str, ...] = Field((), description=f"File types: {', '.join(DOCUMENT_TYPES)}.")

    @classmethod
    def parse(
        cls,
        source: str | None = None,
        after: str | date | None = None,
        before: str | date | None = None,
        types: Iterable[str] | str | None = None,
    ) -> Filters:
        """Filters from what a user typed (blank means no filter), or InvalidFilter naming
        the field and what it should look like."""
        raw = {"source": source or "", "after": after, "before": before, "types": types or ()}
        try:
            return cls.model_validate(raw)
        except ValidationError as error:
            first = error.errors()[0]
            field = str(first["loc"][0]) if first["loc"] else "after, before"  # their order
            reason = str(first["msg"]).removeprefix("Value error, ")
            raise InvalidFilter(field, reason) from None

    @field_validator("source", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("after", "before", mode="before")
    @classmethod
    def _iso_day(cls, value: Any) -> Any:
        """Only YYYY-MM-DD: pydantic would also take a number of seconds or a timestamp."""
        if value is None or isinstance(value, date):
            return value
        text = str(value).strip()
        if not text:
            return None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a date: use YYYY-MM-DD, e.g. 2024-03-31") from None

    @field_validator("types", mode="before")
    @classmethod
    def _known_types(cls, value: Any) -> Any:
        """Lower-cased, without a leading dot, each once; "pdf,docx" counts as two."""
        items = [value] if isinstance(value, str) else list(value or ())
        chosen: list[str] = []
        for item in items:
            for part in str(item).split(","):
                kind = part.strip().lower().lstrip(".")
                kind = _TYPE_ALIASES.get(kind, kind)
                if not kind:
                    continue
                if kind not in DOCUMENT_TYPES:
                    known = ", ".join(DOCUMENT_TYPES)
                    raise ValueError(f"{part.strip()!r} is not a file type: choose from {known}")
                if kind not in chosen:
                    chosen.append(kind)
        return tuple(chosen)

    @model_validator(mode="after")
    def _ordered(self) -> Filters:
        if self.after and self.before and self.after > self.before:
            raise ValueError(f"after {self.after} is later than before {self.before}")
        return self

    @property
    def active(self) -> bool:
        return bool(self.source or self.after or self.before or self.types)

    def rejections(self, names: Iterable[str], file_type: str, published: str | None) -> list[str]:
        """The fields that leave out a document stored under `names` (its name and those of
        identical files), of `file_type`, published on `published` (as the file states it)."""
        failed = []
        if self.source and not any(_name_matches(self.source, name) for name in names):
            failed.append("source")
        if self.after or self.before:
            day = publication_day(published)
            if self.after and (day is None or day < self.after):
                failed.append("after")
            if self.before and (day is None or day > self.before):
                failed.append("before")
        if self.types and file_type not in self.types:
            failed.append("types")
        return failed

    def describe(self, fields: Iterable[str] | None = None) -> str:
        """The filter (or the named fields of it) as a user would say it, for messages."""
        chosen = set(fields) if fields is not None else None
        parts = []
        if self.source and (chosen is None or "source" in chosen):
            parts.append(repr(self.source))
        if self.after and (chosen is None or "after" in chosen):
            parts.append(f"after {self.after}")
        if self.before and (chosen is None or "before" in chosen):
            parts.append(f"before {self.before}")
        if self.types and (chosen is None or "types" in chosen):
            parts.append(f"type {' or '.join(self.types)}")
        return ", ".join(parts)


def _name_matches(pattern: str, name: str) -> bool:
    """Case-insensitive glob match; a pattern without * ? or [ matches names containing it."""
    glob = pattern.lower()
    if not any(ch in glob for ch in "*?["):
        glob = f"*{glob}*"
    return fnmatch.fnmatchcase(name.lower(), glob)


def publication_day(published: str | None) -> date | None:
    """The day a document's date names: an ISO date (or timestamp) at its start, or a written
    one such as "March 5, 2024"; None when it has none that can be read."""
    if not published:
        return None
    iso = _ISO_DAY.match(published)
    if iso:
        try:
            return date.fromisoformat(iso.group(1))
        except ValueError:
            return None
    text = " ".join(published.split())
    for layout in _WRITTEN_DAYS:
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    return None
