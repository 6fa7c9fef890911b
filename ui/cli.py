"""The `footnote` command: ingest, ask, eval, serve, status, show. Errors are one line, no
traceback."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

import rag  # noqa: F401  (sets the offline environment before any model library loads)
from rag.errors import FootnoteError
from rag.settings import Settings, get_settings
from rag.types import Answer
from ui.cli_eval import evaluate
from ui.cli_filters import filter_options, parse_filters
from ui.cli_records import register as register_records
from ui.cli_users import user

ABSTAINED = 3  # `ask`'s exit code when the documents do not answer the question


def _service() -> Any:
    from rag.assistant import Assistant
    from ui.service import Service

    return Service(Assistant(get_settings()))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Footnote: answers from your documents, every claim cited to its passage."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--no-prune", is_flag=True, help="Keep documents whose files are gone from the folders."
)
@click.option(
    "--follow-symlinks", is_flag=True, help="Also read symlinks leading out of the folders."
)
def ingest(paths: tuple[Path, ...], as_json: bool, no_prune: bool, follow_symlinks: bool) -> None:
    """Sync files and folders (.txt, .md, .html, .pdf, .docx) into the store: a folder's
    documents mirror it (added, updated, unchanged, removed)."""
    from tqdm import tqdm

    from ingest.library import sync_folders

    settings = get_settings()
    report = sync_folders(  # no Assistant: ingest needs only the store and the model
        paths,
        settings,
        progress=lambda files: tqdm(files, desc="ingest", unit="file", file=sys.stderr),
        prune=not no_prune,
        follow_symlinks=follow_symlinks,
    )
    for failure in report.failed:
        click.echo(f"footnote: skipped {failure['path']}: {failure['reason']}", err=True)
    for warning in report.warnings:
        click.echo(f"footnote: warning: {warning['path']}: {warning['warning']}", err=True)
    if as_json:
        click.echo(json.dumps(asdict(report), indent=2))
    else:
        click.echo(
            f"added {len(report.added)}, updated {len(report.updated)}, "
            f"unchanged {len(report.unchanged)}, failed {len(report.failed)}, "
            f"removed {len(report.removed)}; "
            f"{report.chunks_embedded} chunks embedded in {report.seconds:.1f} s"
        )
    if report.failed:
        sys.exit(1)


@cli.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the Answer as JSON.")
@click.option(
    "--export",
    "export_to",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the answer with its sources to FILE (.md, .html, .json or .pdf).",
)
@click.option(
    "--save/--no-save",
    default=None,
    help="Save the answer as an answer record (printed with its id; `footnote answer ID` "
    "opens it). Default: save when FOOTNOTE_DATABASE_URL is set.",
)
@filter_options
def ask(
    question: str,
    as_json: bool,
    export_to: Path | None,
    save: bool | None,
    source: str | None,
    after: str | None,
    before: str | None,
    types: tuple[str, ...],
) -> None:
    """Answer QUESTION from the stored documents, with citations. Exits with 3 when the
    documents do not answer it (the closest passages are printed instead)."""
    from datetime import UTC, datetime

    from rag import export
    from rag.assistant import AskOptions
    from ui.render import render_terminal

    filters = parse_filters(source, after, before, types)
    if export_to is not None:
        export.format_for(export_to)  # an unknown extension fails before any work
    service = _service()
    asked_at = datetime.now(UTC)
    live = not as_json and service.settings.engine == "openai" and sys.stdout.isatty()
    answer = None
    for event in service.events(question, options=AskOptions(filters=filters)):
        if isinstance(event, Answer):
            answer = event
        elif live:
            click.echo(event, nl=False)  # the model's words as they arrive; checked below
    assert answer is not None
    if live:
        click.echo("\n")
    if service.settings.database_url is not None if save is None else save:
        exchange = service.record(answer, asked_at, None, filters)
    else:
        exchange = service.exchange(answer, asked_at)
    answer = exchange.answer
    click.echo(answer.model_dump_json(indent=2) if as_json else render_terminal(answer))
    if answer.record_id:
        click.echo(f"saved as answer record {answer.record_id}", err=True)
    if export_to is not None:
        fmt = export.write_to(export_to, [exchange])
        click.echo(f"{fmt} export written to {export_to}", err=True)
    if answer.abstained:
        raise click.exceptions.Exit(ABSTAINED)


@cli.command()
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1).")
@click.option("--port", default=None, type=click.IntRange(1, 65535), help="Port (default 7860).")
@click.option(
    "--insecure",
    is_flag=True,
    help="Allow a non-loopback address without FOOTNOTE_AUTH_FILE (anyone reaching it may use "
    "the chat and API and change the documents).",
)
def serve(host: str | None, port: int | None, insecure: bool) -> None:
    """Serve the web chat and the HTTP API (sign-in required with FOOTNOTE_AUTH_FILE)."""
    from rag.assistant import Assistant
    from ui.server import serve as run_server

    settings = get_settings()
    assistant = Assistant(settings)
    run_server(assistant, host or settings.host, port or settings.port, insecure=insecure)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(as_json: bool) -> None:
    """Show what the store holds and where it and the database live."""
    from ui.cli_records import database_status

    settings: Settings = get_settings()
    service = _service()
    store, documents = service.assistant.store, service.documents()
    info = {
        "data_dir": str(settings.data_dir.resolve()),
        "store": store.location,  # the Chroma server's URL when there is one
        "documents": len(documents),
        "chunks": store.count_chunks(),
        "files": [asdict(document) for document in documents],
        "database": database_status(service.database),
    }
    if as_json:
        click.echo(json.dumps(info, indent=2))
        return
    database = info["database"]
    click.echo(f"store      {info['store']}")
    click.echo(f"database   {database['location']}: {database['state']}")
    click.echo(f"documents  {info['documents']}")
    click.echo(f"chunks     {info['chunks']}")
    for document in documents:
        also = f"  (same file as: {', '.join(document.aliases)})" if document.aliases else ""
        click.echo(f"  {document.source}  ({document.chunks} chunks)  {document.title}{also}")


@cli.command()
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="Print the stored Document as JSON.")
def show(source: str, as_json: bool) -> None:
    """Print the text stored for SOURCE (a file name, a unique beginning of one, or a title),
    exactly as citations index it (chars start at 0)."""
    document = _service().find_document(source)
    click.echo(document.model_dump_json(indent=2) if as_json else document.text)


@cli.group()
def feedback() -> None:
    """Work with the thumbs up/down given in the chat."""


@feedback.command(name="export")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def feedback_export(out: Path) -> None:
    """Write disliked answers to OUT as a JSONL question set (the eval format)."""
    from rag.db import Database
    from rag.db_state import DatabaseFeedback

    database = Database.from_settings(get_settings())
    count = DatabaseFeedback(database).export_questions(out)
    click.echo(f"{count} disliked answers from {database.location} written to {out}")


cli.add_command(evaluate)
cli.add_command(user)


register_records(cli)  # verify, answer, records


def main(args: Sequence[str] | None = None) -> None:
    """Entry point: run the command (`args`, else the command line's), turning every expected
    failure into one line on stderr; tests run commands in-process through `args`."""
    try:
        code = cli.main(args=args, prog_name="footnote", standalone_mode=False)
    except click.exceptions.Exit as stop:
        code = stop.exit_code
    except click.exceptions.Abort:
        _fail("interrupted", 130)
    except click.exceptions.NoArgsIsHelpError as error:
        click.echo(error.format_message(), err=True)
        sys.exit(2)
    except click.ClickException as error:
        message = error.format_message()
        if isinstance(error, click.UsageError) and error.ctx is not None:
            message = f"{message} (see `{error.ctx.command_path} --help`)"
        _fail(message, error.exit_code)
    except FootnoteError as error:
        _fail(str(error), 1)
    except ValidationError as error:
        first = error.errors()[0]
        field = "FOOTNOTE_" + "_".join(str(part) for part in first["loc"]).upper()
        _fail(f"setting {field}: {first['msg']}", 2)
    sys.exit(code if isinstance(code, int) else 0)


def _fail(message: str, code: int) -> None:
    click.echo(f"footnote: error: {message}", err=True)
    sys.exit(code)
