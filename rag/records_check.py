"""Does a citation still quote its document? Each citation of an answer record, or of a JSON
export (rag/export.py), is checked against the documents as they are now (the store, or any
other lookup such as a folder read with ingest's loaders): `current` (the document is the
version cited), `moved` (it changed but still holds the quote verbatim: where, now),
`changed` (the quote is no longer in it) or `removed` (it is gone). docs/records.md."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, Field, ValidationError, model_validator

from rag.errors import FootnoteError
from rag.records import AnswerRecord, Span, Status
from rag.types import Document

if TYPE_CHECKING:
    from rag.store import Store

Model = TypeVar("Model", bound=BaseModel)
Lookup = Callable[[str], Document | None]  # a document by its name, None if there is none


@dataclass(frozen=True)
class Check:
    """The status of one citation now, and where its quote is when it moved."""

    status: Status
    moved_to: Span | None = None


def check_quote(
    content_hash: str | None, start: int, quote: str, document: Document | None
) -> Check:
    """The status of a quote taken at `start` from the version `content_hash` of a document
    that is now `document` (None: gone)."""
    if document is None:
        return Check("removed")
    if content_hash and document.content_hash == content_hash:
        return Check("current")
    span = find_quote(document.text, quote, start)
    return Check("moved", span) if span else Check("changed")


def find_quote(text: str, quote: str, near: int) -> Span | None:
    """Where `quote` occurs verbatim in `text`, the occurrence nearest `near` (where it was)."""
    if not quote:
        return None
    best, at = -1, text.find(quote)
    while at != -1:
        if best == -1 or abs(at - near) < abs(best - near):
            best = at
        if at >= near:  # later occurrences are farther still
            break
        at = text.find(quote, at + 1)
    return Span(start_char=best, end_char=best + len(quote)) if best != -1 else None


def store_lookup(store: Store) -> Lookup:
    """Documents as the store holds them now (by name, or as an alias of an identical file)."""

    def find(source: str) -> Document | None:
        try:
            return store.get_document(source)
        except FootnoteError:
            return None

    return find


def check_record(record: AnswerRecord, lookup: Lookup) -> AnswerRecord:
    """The record with each citation's status now (each document looked up once)."""
    find = cache(lookup)
    citations = []
    for citation in record.citations:
        check = check_quote(
            citation.content_hash, citation.start_char, citation.quote, find(citation.source)
        )
        citations.append(
            citation.model_copy(update={"status": check.status, "moved_to": check.moved_to})
        )
    return record.model_copy(update={"citations": citations})


# --------------------------------------------------------------------------- exports


class ExportInvalid(FootnoteError):
    """A file `footnote verify` cannot read as a JSON export: `path` and the `field` at fault
    ("" for the whole file) are named."""

    def __init__(self, path: Path, field: str, reason: str) -> None:
        super().__init__(f"{path}: {field + ': ' if field else ''}{reason}")
        self.path = path
        self.field = field


class _ExportedCitation(BaseModel):
    n: int
    source: str = Field(min_length=1)
    start_char: int = Field(ge=0)
    end_char: int = Field(ge=0)
    quote: str


class _ExportMeta(BaseModel):
    document_hashes: dict[str, str | None]


class _ExportedAnswer(BaseModel):
    """What verify reads of one exported answer; other fields are ignored."""

    question: str
    citations: list[_ExportedCitation]
    export: _ExportMeta

    @model_validator(mode="after")
    def _spans(self) -> _ExportedAnswer:
        for citation in self.citations:
            if citation.end_char < citation.start_char:
                raise ValueError(f"citation [{citation.n}] ends before it starts")
        return self


class _Conversation(BaseModel):
    answers: list[_ExportedAnswer]


class VerifiedCitation(BaseModel):
    """One citation of an export, as `footnote verify --json` reports it."""

    answer: int = Field(description="Which answer of the export (1-based).")
    question: str
    n: int
    source: str
    start_char: int
    end_char: int
    status: Status
    moved_to: Span | None = Field(None, exclude_if=lambda span: span is None)


def read_export(path: Path) -> list[_ExportedAnswer]:
    """The answers of a JSON export (one answer, or a conversation), or ExportInvalid naming
    the file, the field and what is wrong."""
    try:
        data: Any = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as error:
        raise ExportInvalid(path, "", f"cannot read it: {error.strerror}") from error
    except UnicodeDecodeError:
        raise ExportInvalid(path, "", "not a JSON export: it is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise ExportInvalid(path, "", f"not JSON: {error.msg} ({where})") from None
    if isinstance(data, dict) and "answers" in data:
        return _validated(path, _Conversation, data).answers
    if isinstance(data, dict) and {"question", "answer"} & set(data):
        return [_validated(path, _ExportedAnswer, data)]
    raise ExportInvalid(
        path,
        "",
        "not a Footnote JSON export: expected an answer (with question, citations and "
        "export) or a conversation (with answers)",
    )


def _validated(path: Path, model: type[Model], data: Any) -> Model:
    """`data` as `model`, or ExportInvalid naming the first field at fault."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"]
        ).lstrip(".")
        reason = str(first["msg"]).removeprefix("Value error, ")
        raise ExportInvalid(path, field, reason) from None


def verify_export(path: Path, lookup: Lookup) -> list[VerifiedCitation]:
    """Every citation of the export at `path`, checked against `lookup`'s documents."""
    find = cache(lookup)
    checked = []
    for number, exported in enumerate(read_export(path), start=1):
        hashes = exported.export.document_hashes
        for citation in exported.citations:
            check = check_quote(
                hashes.get(citation.source),
                citation.start_char,
                citation.quote,
                find(citation.source),
            )
            checked.append(
                VerifiedCitation(
                    answer=number,
                    question=exported.question,
                    n=citation.n,
                    source=citation.source,
                    start_char=citation.start_char,
                    end_char=citation.end_char,
                    status=check.status,
                    moved_to=check.moved_to,
                )
            )
    return checked
