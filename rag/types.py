"""The product's currency: documents, chunks, retrieved passages, citations and answers."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Document(BaseModel):
    """One source file as stored: its full decoded text is what citation spans index."""

    source: str = Field(description="File name relative to the ingested folder.")
    title: str
    text: str
    content_hash: str = Field(description="sha256 of the text, for idempotent re-ingest.")
    body_start: int = Field(0, description="Where the text proper begins (after front matter).")


class Chunk(BaseModel):
    """A slice of a document: text == document.text[start_char:end_char]."""

    chunk_id: str
    source: str
    title: str
    start_char: int
    end_char: int
    text: str
    content_hash: str


class Passage(BaseModel):
    """A retrieved chunk with its rank score (higher is better)."""

    source: str
    title: str
    chunk_id: str
    score: float
    start_char: int
    end_char: int
    text: str


class Citation(BaseModel):
    """What `[n]` resolves to: quote == document text[start_char:end_char]."""

    n: int
    source: str
    title: str
    chunk_id: str
    start_char: int
    end_char: int
    quote: str


class Answer(BaseModel):
    """One answer as the CLI, the chat, exports and evaluation all see it."""

    question: str
    answer: str = Field(description="Text with [n] markers resolving to citations.")
    abstained: bool
    citations: list[Citation] = []
    retrieved: list[Passage] = []
    latency_ms: float = 0.0
