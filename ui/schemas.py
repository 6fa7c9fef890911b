"""The HTTP API's request and response bodies, as its OpenAPI document describes them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, field_validator

from rag.cache import CacheStats
from rag.types import DOCUMENT_TYPES

EMPTY_QUESTION = "the question is empty"
# Earlier questions: cut to max_question_chars by the service; this only bounds the body.
Earlier = Annotated[str, Field(max_length=100_000)]


class AskRequest(BaseModel):
    """A question, and optionally how to answer it."""

    question: str = Field(
        examples=["Who is Anthropic's CEO?"],
        description="At most max_question_chars characters (4,000 by default).",
    )
    top_k: int | None = Field(
        None, ge=1, le=100, description="Passages retrieved (default: the server's setting)."
    )
    engine: Literal["extractive", "openai"] | None = Field(
        None, description="Answer engine (default: the server's); openai needs an endpoint."
    )
    source: str | None = Field(
        None,
        max_length=200,
        description="Only search documents whose file name matches this glob (`*.pdf`); "
        "without * ? or [ it matches names containing it.",
    )
    after: str | None = Field(
        None,
        max_length=40,
        examples=["2024-01-01"],
        description="Only documents published on or after this day (YYYY-MM-DD); documents "
        "without a date are left out.",
    )
    before: str | None = Field(
        None,
        max_length=40,
        examples=["2024-12-31"],
        description="Only documents published on or before this day (YYYY-MM-DD); documents "
        "without a date are left out.",
    )
    types: list[Annotated[str, Field(max_length=20)]] = Field(
        [],
        max_length=len(DOCUMENT_TYPES),
        examples=[["pdf", "docx"]],
        description=f"Only documents of these file types ({', '.join(DOCUMENT_TYPES)}).",
    )
    history: list[Earlier] = Field(
        [],
        max_length=20,
        description="The conversation so far: earlier questions, oldest first (each answer's "
        "`standalone_question`, or its `question`), so follow-ups are understood.",
    )

    @field_validator("question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.split():
            raise ValueError(EMPTY_QUESTION)
        return value


class DocumentOut(BaseModel):
    source: str
    title: str
    content_hash: str
    chunks: int
    file_type: str
    published: str | None = None
    aliases: list[str] = Field([], description="Names of identical files stored as this one.")


class DocumentText(BaseModel):
    """One stored document whole: the text every citation's span indexes, and its metadata."""

    source: str = Field(
        description="The stored document's name (asked for by one of its `aliases`, the name "
        "of the file stored for them)."
    )
    title: str
    file_type: str
    content_hash: str = Field(description="sha256 of the file's bytes.")
    published: str | None = Field(None, description="Publication date as the file states it.")
    url: str | None = Field(None, description="Canonical address, from the file's metadata.")
    body_start: int = Field(description="Where the text proper begins (after front matter).")
    page_starts: list[int] = Field(
        description="Offset in `text` where each page begins (paged sources; else empty)."
    )
    aliases: list[str] = Field(description="Names of identical files stored as this one.")
    text: str = Field(description="The stored text: a citation's quote is text[start:end].")


class IngestOut(BaseModel):
    """What an upload did, as `footnote ingest --json` reports it."""

    added: list[str]
    updated: list[str]
    unchanged: list[str]
    removed: list[str]
    failed: list[dict[str, str]]
    warnings: list[dict[str, str]] = Field(
        [], description="e.g. a page that may hold text hidden by its own CSS: path, warning."
    )
    chunks_embedded: int
    seconds: float


class Deleted(BaseModel):
    removed: list[str] = Field(description="The names removed: the document and its copies.")


class AnswerProcesses(BaseModel):
    ready: int = Field(description="Answer processes taking questions.")
    of: int = Field(description="Answer processes wanted (FOOTNOTE_ANSWER_WORKERS).")


class Health(BaseModel):
    status: str
    documents: int
    chunks: int
    engine: str
    cache: CacheStats | None = Field(
        None, description="Answers served from the answer cache (hits) and computed (misses)."
    )
    answer_processes: AnswerProcesses | None = Field(
        None,
        description="The server answers once one is ready, the others start after it; null "
        "when it answers in its own process.",
    )


class Problem(BaseModel):
    """Every error response: one line saying what is wrong."""

    detail: str
