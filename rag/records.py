"""Answer records: every answer given, kept in the database with what it cited (each
document's content hash and version), so it can be opened again by its unguessable id and
checked against the documents as they are now (rag/records_check.py). docs/records.md."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import Connection, Row, delete, func, select

from rag.db import Database, DatabaseUnavailable
from rag.db_schema import answer_records, record_citations, utc
from rag.errors import FootnoteError, NotFound
from rag.export import ExportMeta
from rag.store import version_key
from rag.types import Answer, Citation, Filters

ID_BYTES = 18  # secrets.token_urlsafe: 24 characters, 144 random bits
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{24}")
EXPORT_PAGE = 200  # records read at a time by `iter_all`
Status = Literal["current", "moved", "changed", "removed"]


class RecordNotFound(NotFound):
    """No record has this id (or it is no id at all, or not the reader's): `record_id` is
    what was asked for."""

    def __init__(self, record_id: str, reason: str = "no answer record has this id") -> None:
        shown = record_id if len(record_id) <= 80 else record_id[:80] + "…"
        super().__init__(f"answer record {shown!r}: {reason}")
        self.record_id = record_id


class Span(BaseModel):
    """Where a quote is in a document's text now."""

    start_char: int
    end_char: int


class RecordCitation(Citation):
    """One citation of a record: what `[n]` quoted, from which version of which document,
    and (once checked) whether that still holds."""

    content_hash: str | None = Field(
        description="sha256 of the cited document's file; None if it was gone when answered."
    )
    version: str | None = Field(description="The store's version key of that document.")
    status: Status | None = Field(
        None,
        description="current, moved, changed or removed (docs/records.md); absent until checked.",
        exclude_if=lambda status: status is None,
    )
    moved_to: Span | None = Field(
        None,
        description="Where the quote is now, when the status is moved.",
        exclude_if=lambda span: span is None,
    )


class AnswerRecord(BaseModel):
    """One answer as it was given: who asked, with which filters and settings, the Answer
    itself (record_id set), and its citations with the document versions they quote."""

    id: str
    created_at: datetime = Field(description="When the question was asked (UTC).")
    asked_by: str | None = Field(description="The signed-in user; None without sign-in.")
    filters: Filters
    engine: str
    settings: dict[str, Any] = Field(description="The settings that shaped the answer.")
    answer: Answer
    citations: list[RecordCitation]

    @property
    def stale(self) -> bool:
        """Whether a checked citation no longer quotes the document as it is."""
        return any(c.status not in (None, "current") for c in self.citations)


def new_id() -> str:
    """144 random bits, URL-safe, never starting with "-" (a command line reads that as an
    option: `footnote answer -Sax...` failed one time in 64)."""
    while (record_id := secrets.token_urlsafe(ID_BYTES)).startswith("-"):
        pass
    return record_id


def check_id(record_id: str) -> str:
    """`record_id` if it has the form of one, else RecordNotFound saying so."""
    if not ID_PATTERN.fullmatch(record_id):
        raise RecordNotFound(record_id, "not a record id (24 letters, digits, - or _)")
    return record_id


def new_record(
    answer: Answer, meta: ExportMeta, asked_by: str | None, filters: Filters | None
) -> AnswerRecord:
    """The record of an answer just given: `meta` (rag.export.describe) says when it was
    asked, with which settings, and each cited document's content hash."""
    record_id = new_id()
    citations = []
    for citation in answer.citations:
        content_hash = meta.document_hashes.get(citation.source)
        citations.append(
            RecordCitation(
                **citation.model_dump(),
                content_hash=content_hash,
                version=version_key(citation.source, content_hash) if content_hash else None,
            )
        )
    return AnswerRecord(
        id=record_id,
        created_at=utc(meta.asked_at),
        asked_by=asked_by,
        filters=filters or Filters(),
        engine=meta.engine,
        settings=meta.settings,
        answer=answer.model_copy(update={"record_id": record_id}),
        citations=citations,
    )


class Records:
    """The answer_records table (and record_citations): save, open, list, delete, prune."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def save(self, record: AnswerRecord) -> None:
        """Store a new record and its citations in one transaction."""
        given = record.answer
        row = {
            "id": record.id,
            "created_at": utc(record.created_at),
            "asked_by": record.asked_by,
            "question": given.question,
            "standalone_question": given.standalone_question,
            "filters": record.filters.model_dump(mode="json"),
            "engine": record.engine,
            "settings": record.settings,
            "answer_text": given.answer,
            "abstained": given.abstained,
            "short_answer": given.model_dump(mode="json").get("short_answer"),
            "answer": given.model_dump(mode="json"),
        }
        cited = [
            {"record_id": record.id, **{name: getattr(c, name) for name in _CITED}}
            for c in record.citations
        ]
        with self.database.transaction() as connection:
            connection.execute(answer_records.insert().values(**row))
            if cited:
                connection.execute(record_citations.insert(), cited)

    def get(self, record_id: str, asked_by: str | None = None) -> AnswerRecord:
        """The record `record_id`; with `asked_by`, only if that user asked it (anyone
        else's is "not found" too, so ids of others' records give nothing away)."""
        check_id(record_id)
        query = select(answer_records).where(answer_records.c.id == record_id)
        if asked_by is not None:
            query = query.where(answer_records.c.asked_by == asked_by)
        with self.database.transaction() as connection:
            row = connection.execute(query).first()
            if row is None:
                raise RecordNotFound(record_id)
            return _record(row, _citations(connection, [record_id])[record_id])

    def iter_all(self, asked_by: str | None = None) -> Iterator[AnswerRecord]:
        """Every record (or every one `asked_by` asked), oldest first, read a page at a time."""
        after: tuple[datetime, str] | None = None
        while True:
            query = select(answer_records).order_by(
                answer_records.c.created_at, answer_records.c.id
            )
            if asked_by is not None:
                query = query.where(answer_records.c.asked_by == asked_by)
            if after is not None:
                moment, last = after
                query = query.where(
                    (answer_records.c.created_at > moment)
                    | ((answer_records.c.created_at == moment) & (answer_records.c.id > last))
                )
            with self.database.transaction() as connection:
                rows = connection.execute(query.limit(EXPORT_PAGE)).all()
                cited = _citations(connection, [row.id for row in rows])
            yield from (_record(row, cited[row.id]) for row in rows)
            if len(rows) < EXPORT_PAGE:
                return
            after = (rows[-1].created_at, rows[-1].id)

    def count(self) -> int:
        """How many records there are."""
        with self.database.transaction() as connection:
            return int(
                connection.execute(select(func.count()).select_from(answer_records)).scalar_one()
            )

    def delete(self, record_id: str) -> None:
        """Remove one record (RecordNotFound if there is none)."""
        check_id(record_id)
        with self.database.transaction() as connection:
            gone = connection.execute(
                delete(answer_records).where(answer_records.c.id == record_id)
            )
        if not gone.rowcount:
            raise RecordNotFound(record_id)

    def prune(self, before: datetime) -> int:
        """Remove the records asked before `before`; how many."""
        moment = utc(before)
        with self.database.transaction() as connection:
            gone = connection.execute(
                delete(answer_records).where(answer_records.c.created_at < moment)
            )
        return int(gone.rowcount)

    def export(self, out: Path) -> int:
        """Write every record to `out` as JSON lines (for audit); how many."""
        count = 0
        try:
            with out.open("w", encoding="utf-8") as handle:
                for record in self.iter_all():
                    handle.write(record.model_dump_json() + "\n")
                    count += 1
        except OSError as error:
            raise FootnoteError(f"cannot write {out}: {error.strerror}") from error
        return count


def save_answer(
    records: Records | None,
    answer: Answer,
    meta: ExportMeta,
    asked_by: str | None = None,
    filters: Filters | None = None,
) -> Answer:
    """The answer as it is shown: saved, with its record_id; or, when the database fails,
    unsaved and saying so in its notice (the user still gets the answer)."""
    if records is None:
        return answer
    record = new_record(answer, meta, asked_by, filters)
    try:
        records.save(record)
    except DatabaseUnavailable as error:
        said = f"This answer was not saved ({error})."
        notice = f"{answer.notice} {said}" if answer.notice else said
        return answer.model_copy(update={"notice": notice})
    return record.answer


# The record_citations columns besides record_id (a record's citations go with it: the
# foreign key cascades, and rag.db turns SQLite's enforcement of it on).
_CITED = tuple(name for name in RecordCitation.model_fields if name not in ("status", "moved_to"))


def _citations(connection: Connection, ids: list[str]) -> dict[str, list[RecordCitation]]:
    found: dict[str, list[RecordCitation]] = {record_id: [] for record_id in ids}
    if not ids:
        return found
    query = (
        select(record_citations)
        .where(record_citations.c.record_id.in_(ids))
        .order_by(record_citations.c.record_id, record_citations.c.n)
    )
    for row in connection.execute(query):
        found[row.record_id].append(RecordCitation.model_validate(row._asdict()))
    return found


def _record(row: Row[Any], citations: list[RecordCitation]) -> AnswerRecord:
    return AnswerRecord(
        id=row.id,
        created_at=utc(row.created_at),
        asked_by=row.asked_by,
        filters=Filters.model_validate(row.filters),
        engine=row.engine,
        settings=row.settings,
        answer=Answer.model_validate(row.answer),
        citations=citations,
    )
