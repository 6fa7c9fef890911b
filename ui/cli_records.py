"""`footnote verify`, `footnote answer` and `footnote records`: JSON exports and answer records
checked against the documents as they are now, and the records kept for audit (docs/records.md).
The CLI is run by whoever can read the data dir and the database, so it sees every record."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from rag.settings import get_settings
from rag.types import Document

if TYPE_CHECKING:
    from rag.db import Database
    from rag.records import AnswerRecord, Records
    from rag.records_check import Lookup
    from rag.store import Store

STATUS_WORDS = {
    "current": "current",
    "moved": "moved: the document changed but still holds the quote",
    "changed": "changed: the document no longer holds the quote",
    "removed": "removed: the document is gone",
}


class BadInput(click.ClickException):
    """A file `verify` cannot use: exit 2, unlike 1 for citations that are not current."""

    exit_code = 2


def _store() -> Store:
    from rag.store import Store

    settings = get_settings()
    return Store(settings.chroma_dir, settings.chroma_url or "", database=settings.database_url)


def _records() -> Records:
    from rag.db import Database
    from rag.records import Records

    return Records(Database.from_settings(get_settings()))


def database_status(database: Database) -> dict[str, Any]:
    """Where the user-state database is and what it holds (for `footnote status`): its
    revision and how many answer records, or why it cannot be used. A default SQLite file
    not made yet is said so, and not made."""
    from rag.db import DatabaseUnavailable
    from rag.records import Records

    status: dict[str, Any] = {"location": database.location, "revision": None, "records": None}
    path = database.url.database
    if database.url.get_backend_name() == "sqlite" and path and not Path(path).exists():
        return status | {"state": "not created yet (the first answer saved creates it)"}
    try:
        records = Records(database).count()
        revision = database.revision()
    except DatabaseUnavailable as error:
        return status | {"state": f"cannot be used: {error}"}
    state = f"schema revision {revision}, {records} answer records"
    return status | {"state": state, "revision": revision, "records": records}


def folder_lookup(folder: Path) -> Lookup:
    """Documents as ingest would read them from `folder` now (named relative to it), each
    read when first asked for; a file that cannot be read counts as gone (said on stderr)."""
    from ingest.discover import discover
    from ingest.loaders import LoadError, load_document

    found = {item.source: item for item in discover([folder]).files}
    max_mb = get_settings().max_file_mb

    def find(source: str) -> Document | None:
        item = found.get(source)
        if item is None:
            return None
        try:
            return load_document(item.path, item.source, max_mb)
        except LoadError as error:
            click.echo(f"footnote: cannot read {item.path}: {error}", err=True)
            return None

    return find


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--against",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Check against the files of this folder (the one that was ingested, read as ingest "
    "reads it) instead of the store.",
)
@click.option("--json", "as_json", is_flag=True, help="Print each citation's status as JSON.")
def verify(file: Path, against: Path | None, as_json: bool) -> None:
    """Check every citation of a JSON export (FILE.json, from the chat or `ask --export`)
    against the documents now. Exit 0 when all are current, 1 when any moved, changed or
    was removed, 2 when FILE is no JSON export."""
    from rag.records_check import ExportInvalid, read_export, store_lookup, verify_export

    try:
        read_export(file)  # a bad file is said before the store is opened
        lookup = folder_lookup(against) if against else store_lookup(_store())
        checked = verify_export(file, lookup)
    except ExportInvalid as error:
        raise BadInput(str(error)) from None
    if as_json:
        click.echo(json.dumps([c.model_dump(mode="json") for c in checked], indent=2))
    else:
        where = f"the files in {against}" if against else "the store"
        counts = {status: 0 for status in STATUS_WORDS}
        for citation in checked:
            counts[citation.status] += 1
        summary = ", ".join(f"{n} {status}" for status, n in counts.items())
        click.echo(f"{file}: {len(checked)} citations checked against {where}: {summary}")
        for c in checked:
            now = (
                f" (now chars {c.moved_to.start_char}–{c.moved_to.end_char})" if c.moved_to else ""
            )
            click.echo(
                f"  answer {c.answer} [{c.n}] {c.source}, chars {c.start_char}–{c.end_char}: "
                f"{STATUS_WORDS[c.status]}{now}"
            )
    if any(c.status != "current" for c in checked):
        raise click.exceptions.Exit(1)


@click.command()
@click.argument("record_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the record as JSON.")
def answer(record_id: str, as_json: bool) -> None:
    """Print the answer record ID, each citation checked against the store now."""
    from rag.records_check import check_record, store_lookup

    record = check_record(_records().get(record_id), store_lookup(_store()))
    click.echo(record.model_dump_json(indent=2) if as_json else render_record(record))


def render_record(record: AnswerRecord) -> str:
    """A checked AnswerRecord as terminal text: who asked what and when, the answer, and
    each source with its status now."""
    from rag.view import view

    given, shown = record.answer, view(record.answer)
    asked = record.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    who = f"by {record.asked_by}" if record.asked_by else "without sign-in"
    lines = [f"Answer record {record.id}, asked {asked} {who}", f"Question: {given.question}"]
    if shown.searched_for:
        lines.append(f"(searched for: {shown.searched_for})")
    if record.filters.active:
        lines.append(f"Filters: {record.filters.describe()}")
    lines += [f"Engine: {record.engine}", "", shown.text, ""]
    if record.stale:
        lines += ["Warning: the documents changed since this answer was given.", ""]
    lines.append("Sources:" if record.citations else "No sources cited.")
    for c in record.citations:
        now = f" (now chars {c.moved_to.start_char}–{c.moved_to.end_char})" if c.moved_to else ""
        lines.append(
            f"  [{c.n}] {c.title} — {c.source}, chars {c.start_char}–{c.end_char}: "
            f"{STATUS_WORDS.get(c.status or '', 'not checked')}{now}"
        )
        lines.append(f"      “{' '.join(c.quote.split())}”")
    return "\n".join(lines)


@click.group()
def records() -> None:
    """Answer records kept for audit: export them, prune old ones."""


@records.command(name="export")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def records_export(out: Path) -> None:
    """Write every answer record to OUT as JSON lines, oldest first."""
    count = _records().export(out)
    click.echo(f"{count} answer records written to {out}")


def _day(_context: click.Context, _parameter: click.Parameter, value: str) -> datetime:
    """The start (UTC) of a day written YYYY-MM-DD."""
    try:
        return datetime.combine(date.fromisoformat(value.strip()), time(), UTC)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a day: use YYYY-MM-DD, e.g. 2024-03-31"
        ) from None


@records.command(name="prune")
@click.option(
    "--before",
    required=True,
    callback=_day,
    metavar="YYYY-MM-DD",
    help="Delete the records of answers asked before this day (UTC).",
)
def records_prune(before: datetime) -> None:
    """Delete the answer records asked before a day (export them first to keep them)."""
    count = _records().prune(before)
    click.echo(f"deleted {count} answer records asked before {before:%Y-%m-%d} (UTC)")


def register(group: click.Group) -> None:
    """Add these commands to the `footnote` group."""
    for command in (verify, answer, records):
        group.add_command(command)
