"""The product's currency: documents, chunks, retrieved passages, citations and answers."""

from __future__ import annotations

import bisect

from pydantic import BaseModel, Field

_PAGE = "Page number (1-based) where it starts, for paginated sources such as PDF."


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


class Passage(BaseModel):
    """A retrieved chunk with its rank score (higher is better)."""

    source: str
    title: str
    chunk_id: str
    score: float
    start_char: int
    end_char: int
    text: str
    page: int | None = Field(None, description=_PAGE, exclude_if=lambda page: page is None)


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
