"""The `footnote` command: ingest, ask, eval, serve, status, show. Errors are one line, no
traceback."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

import rag  # noqa: F401  (sets the offline environment before any model library loads)
from rag.errors import FootnoteError
from rag.settings import Settings, get_settings
from rag.types import DOCUMENT_TYPES, Answer, Filters, InvalidFilter


def _assistant() -> Any:
    from rag.assistant import Assistant

    return Assistant(get_settings())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Footnote: answers from your documents, every claim cited to its passage."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--no-prune", is_flag=True, help="Keep documents whose files are gone from the folders."
)
def ingest(paths: tuple[Path, ...], as_json: bool, no_prune: bool) -> None:
    """Sync files and folders (.txt, .md, .html, .pdf, .docx) into the store: a folder's
    documents mirror it (added, updated, unchanged, removed)."""
    from tqdm import tqdm

    from ingest.embedder import embed_texts
    from ingest.sync import ingest as run_ingest
    from rag.assistant import Assistant
    from rag.settings import configure_llama_index
    from rag.store import LOCK_FILE, Store, writer_lock

    settings = get_settings()
    # The writer lock first: a second ingest fails at once, before it opens the store. No
    # Assistant: ingest needs only the store and the embedding model (and starts faster).
    with writer_lock(settings.data_dir / LOCK_FILE):
        report = run_ingest(
            paths,
            Store(settings.chroma_dir, settings.chroma_url or ""),
            configure_llama_index(settings),
            settings,
            progress=lambda files: tqdm(files, desc="ingest", unit="file", file=sys.stderr),
            prune=not no_prune,
        )
    for failure in report.failed:
        click.echo(f"footnote: skipped {failure['path']}: {failure['reason']}", err=True)
    # The documents are searchable now; their sentence vectors make answers fast (rag.sentences).
    started = time.perf_counter()
    assistant = Assistant(settings)
    sentences = assistant.index_sentences(  # every core: nothing else runs now
        embed=lambda texts: embed_texts(assistant.embed_model, settings, texts)
    )
    indexed = {"sentences_embedded": sentences, "sentence_seconds": time.perf_counter() - started}
    if as_json:
        click.echo(json.dumps({**asdict(report), **indexed}, indent=2))
    else:
        click.echo(
            f"added {len(report.added)}, updated {len(report.updated)}, "
            f"unchanged {len(report.unchanged)}, failed {len(report.failed)}, "
            f"removed {len(report.removed)}; "
            f"{report.chunks_embedded} chunks embedded in {report.seconds:.1f} s; "
            f"{sentences} sentences indexed in {indexed['sentence_seconds']:.1f} s"
        )
    if report.failed:
        sys.exit(1)


_FILTER_FLAGS = {"source": "--source", "after": "--after", "before": "--before", "types": "--type"}


def _filter_options(command: Any) -> Any:
    """--source, --after, --before and --type: which documents the answer may draw on."""
    for option in reversed(
        [
            click.option(
                "--source",
                metavar="GLOB",
                help="Only documents whose file name matches this glob (`*.pdf`); without "
                "* ? or [ it matches names containing it, case-insensitively.",
            ),
            click.option(
                "--after",
                metavar="YYYY-MM-DD",
                help="Only documents published on or after this day (undated ones are left out).",
            ),
            click.option(
                "--before",
                metavar="YYYY-MM-DD",
                help="Only documents published on or before this day (undated ones are left out).",
            ),
            click.option(
                "--type",
                "types",
                multiple=True,
                metavar="TYPE",
                help=f"Only documents of this file type ({', '.join(DOCUMENT_TYPES)}); repeat "
                "for several.",
            ),
        ]
    ):
        command = option(command)
    return command


def _filters(
    source: str | None, after: str | None, before: str | None, types: tuple[str, ...]
) -> Filters:
    """The filter flags as Filters; a bad value is a usage error naming its flag."""
    try:
        return Filters.parse(source, after, before, types)
    except InvalidFilter as error:
        hint = " / ".join(_FILTER_FLAGS[field] for field in error.field.split(", "))
        raise click.BadParameter(error.reason, param_hint=f"'{hint}'") from None


@cli.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the Answer as JSON.")
@click.option(
    "--export",
    "export_to",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the answer with its sources to FILE (.md, .html, .json or .pdf).",
)
@_filter_options
def ask(
    question: str,
    as_json: bool,
    export_to: Path | None,
    source: str | None,
    after: str | None,
    before: str | None,
    types: tuple[str, ...],
) -> None:
    """Answer QUESTION from the stored documents, with citations."""
    from datetime import UTC, datetime

    from rag import export

    filters = _filters(source, after, before, types)
    if export_to is not None:
        export.format_for(export_to)  # an unknown extension fails before any work
    assistant = _assistant()
    asked_at = datetime.now(UTC)
    live = not as_json and assistant.settings.engine == "openai" and sys.stdout.isatty()
    answer = None
    for event in assistant.stream(question, filters=filters):
        if isinstance(event, Answer):
            answer = event
        elif live:
            click.echo(event, nl=False)  # the model's words as they arrive; checked below
    assert answer is not None
    if live:
        click.echo("\n")
    click.echo(answer.model_dump_json(indent=2) if as_json else render_answer(answer))
    if export_to is not None:
        meta = export.describe(answer, assistant.store, assistant.settings, asked_at)
        fmt = export.write_to(export_to, [export.Exchange(answer, meta)])
        click.echo(f"{fmt} export written to {export_to}", err=True)


def render_answer(answer: Answer) -> str:
    """An Answer as terminal text: notices, the answer with unsupported sentences marked,
    then its numbered sources (or the closest passages when it abstained)."""
    lines = []
    if answer.searched_for:
        lines.append(f"(searched for: {' → '.join(answer.searched_for)})")
    if answer.notice:
        lines.append(f"note: {answer.notice}")
    if answer.sentences and not answer.abstained:
        shown = [s for s in answer.sentences if s.supported or s.text in answer.answer]
        lines.append(" ".join(s.text + ("" if s.supported else " [unsupported]") for s in shown))
    else:
        lines.append(answer.answer)
    lines.append("")
    if answer.abstained and answer.language:  # the message says why: no passages
        lines.pop()
    elif answer.abstained:
        lines.append("Closest passages:")
        for passage in answer.retrieved[:3]:
            snippet = " ".join(passage.text.split())[:200]
            page = f", p. {passage.page}" if passage.page else ""
            lines.append(f"  - {passage.title} ({passage.source}{page}): {snippet}…")
    else:
        lines.append("Sources:")
        for citation in answer.citations:
            page = f"p. {citation.page}, " if citation.page else ""
            lines.append(
                f"  [{citation.n}] {citation.title} — {citation.source}, "
                f"{page}chars {citation.start_char}–{citation.end_char}"
            )
            lines.append(f"      “{' '.join(citation.quote.split())}”")
    return "\n".join(lines)


@cli.command(name="eval")
@click.argument("questions", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the report.")
@click.option(
    "--retriever",
    type=click.Choice(["dense", "bm25", "hybrid"]),
    help="Retriever for this run (default: the setting).",
)
@click.option("--top-k", type=click.IntRange(1, 100), help="Passages retrieved per question.")
@click.option(
    "--corpus",
    type=click.Path(exists=True, path_type=Path),
    help="Ingest this folder into a temporary store with this run's settings and evaluate "
    "on that instead of the configured store.",
)
@click.option(
    "--chunk-tokens",
    type=click.IntRange(32, 2000),
    help="Chunk size in tokens; chunking happens at ingest, so this needs --corpus.",
)
@click.option(
    "--compare",
    type=click.Path(dir_okay=False, path_type=Path),
    help="An earlier --out report: print each metric's change against it.",
)
@click.option(
    "--markdown",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a Markdown report.",
)
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a PNG bar chart of the rates.",
)
@_filter_options
def evaluate(
    questions: Path,
    out: Path | None,
    retriever: str | None,
    top_k: int | None,
    corpus: Path | None,
    chunk_tokens: int | None,
    compare: Path | None,
    markdown: Path | None,
    chart: Path | None,
    source: str | None,
    after: str | None,
    before: str | None,
    types: tuple[str, ...],
) -> None:
    """Run a JSONL question set through the chat's pipeline and score it (only on the
    documents the filters let through, if any are given)."""
    import tempfile
    from contextlib import ExitStack

    from tqdm import tqdm

    from rag import evaluate as ev
    from rag.assistant import Assistant

    if chunk_tokens is not None and corpus is None:
        raise click.UsageError(
            "--chunk-tokens needs --corpus DIR: chunks are cut at ingest, so the size only "
            "applies to documents ingested for this run"
        )
    filters = _filters(source, after, before, types)
    rows = ev.load_questions(str(questions))
    baseline = ev.load_report(str(compare)) if compare else None
    overrides: dict[str, Any] = {
        key: value
        for key, value in {
            "retriever": retriever,
            "top_k": top_k,
            "chunk_tokens": chunk_tokens,
        }.items()
        if value is not None
    }
    with ExitStack() as stack:
        if corpus is not None:
            temporary = stack.enter_context(
                tempfile.TemporaryDirectory(prefix="footnote-eval-", ignore_cleanup_errors=True)
            )
            overrides["data_dir"] = Path(temporary)
        settings = get_settings().model_copy(update=overrides)
        assistant = Assistant(settings)
        if corpus is not None:
            _ingest_for_eval(assistant, corpus)
        if filters.active and assistant.store.count_chunks():
            assistant.retriever.select(filters)  # matching nothing fails before the progress bar
        report = ev.evaluate(
            assistant,
            rows,
            progress=lambda items: tqdm(items, desc="eval", unit="question", file=sys.stderr),
            filters=filters,
        )
    summary = report["summary"]
    if baseline is None:
        width = max(len(key) for key in summary)
        for key, value in summary.items():
            click.echo(f"{key:<{width}}  {'-' if value is None else value}")
    else:
        click.echo(f"compared with {compare}")
        old, new = baseline.get("settings") or {}, report["settings"]
        changed = [f"{k} {old[k]} → {v}" for k, v in new.items() if old.get(k, v) != v]
        if changed:
            click.echo(f"settings changed: {'; '.join(changed)}")
        click.echo(ev.format_comparison(ev.compare(baseline["summary"], summary)))
    if out:
        _write(out, json.dumps(report, indent=2, ensure_ascii=False), "report")
        click.echo(f"report written to {out}")
    if markdown:
        text = ev.markdown_report(report, baseline, f"Evaluation: {questions.name}")
        _write(markdown, text, "Markdown report")
        click.echo(f"Markdown report written to {markdown}")
    if chart:
        ev.write_chart(summary, str(chart), baseline["summary"] if baseline else None)
        click.echo(f"chart written to {chart}")


def _ingest_for_eval(assistant: Any, corpus: Path) -> None:
    from tqdm import tqdm

    from ingest.sync import ingest as run_ingest

    report = run_ingest(
        [corpus],
        assistant.store,
        assistant.embed_model,
        assistant.settings,
        progress=lambda files: tqdm(files, desc="ingest", unit="file", file=sys.stderr),
    )
    for failure in report.failed:
        click.echo(f"footnote: skipped {failure['path']}: {failure['reason']}", err=True)
    click.echo(
        f"ingested {len(report.added)} files ({report.chunks_embedded} chunks of at most "
        f"{assistant.settings.chunk_tokens} tokens) into a temporary store in "
        f"{report.seconds:.1f} s",
        err=True,
    )


def _write(path: Path, text: str, what: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise FootnoteError(f"cannot write {what} {path}: {error.strerror}") from error


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
    from ui.app import serve as run_server

    settings = get_settings()
    assistant = _assistant()
    assistant.start_sentence_indexer()  # uploads and other writers' ingests get indexed too
    run_server(assistant, host or settings.host, port or settings.port, insecure=insecure)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(as_json: bool) -> None:
    """Show what the store holds and where it lives."""
    settings: Settings = get_settings()
    assistant = _assistant()
    documents = assistant.store.list_documents()
    info = {
        "data_dir": str(settings.data_dir.resolve()),
        "store": assistant.store.location,  # the Chroma server's URL when there is one
        "documents": len(documents),
        "chunks": assistant.store.count_chunks(),
        "files": [asdict(document) for document in documents],
    }
    if as_json:
        click.echo(json.dumps(info, indent=2))
        return
    click.echo(f"store      {info['store']}")
    click.echo(f"documents  {info['documents']}")
    click.echo(f"chunks     {info['chunks']}")
    for document in documents:
        also = f"  (same file as: {', '.join(document.aliases)})" if document.aliases else ""
        click.echo(f"  {document.source}  ({document.chunks} chunks)  {document.title}{also}")


@cli.command()
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="Print the stored Document as JSON.")
def show(source: str, as_json: bool) -> None:
    """Print the text stored for SOURCE, exactly as citations index it (chars start at 0)."""
    document = _assistant().store.get_document(source)
    click.echo(document.model_dump_json(indent=2) if as_json else document.text)


@cli.group()
def feedback() -> None:
    """Work with the thumbs up/down given in the chat."""


@feedback.command(name="export")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def feedback_export(out: Path) -> None:
    """Write disliked answers to OUT as a JSONL question set (the eval format)."""
    from rag.feedback import export_questions, feedback_path

    settings = get_settings()
    count = export_questions(settings.data_dir, out)
    click.echo(f"{count} disliked answers from {feedback_path(settings.data_dir)} written to {out}")


@cli.group()
def user() -> None:
    """Manage who may use a served Footnote (the users file FOOTNOTE_AUTH_FILE names)."""


def _users_file(path: Path | None) -> Path:
    chosen = path or get_settings().auth_file
    if chosen is None:
        raise click.UsageError("name the users file: set FOOTNOTE_AUTH_FILE or pass --file")
    return chosen


_USERS_FILE_OPTION = click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Users file (.toml or .json; default: FOOTNOTE_AUTH_FILE).",
)


@user.command(name="add")
@click.argument("name")
@click.option(
    "--role", type=click.Choice(["reader", "manager"]), default="reader", show_default=True
)
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin's first line.")
@click.option("--replace", is_flag=True, help="Reset an existing user's password, role and token.")
@_USERS_FILE_OPTION
def user_add(name: str, role: str, password_stdin: bool, replace: bool, path: Path | None) -> None:
    """Add user NAME (readers ask; managers also add and delete documents) and print their API
    token, which is shown only this once."""
    from ui.auth import add_user

    users_file = _users_file(path)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    token = add_user(users_file, name, role, password, replace=replace)  # type: ignore[arg-type]
    click.echo(f"{role} {name!r} saved in {users_file}", err=True)
    click.echo("API token (shown once; send it as `Authorization: Bearer <token>`):", err=True)
    click.echo(token)


@user.command(name="remove")
@click.argument("name")
@_USERS_FILE_OPTION
def user_remove(name: str, path: Path | None) -> None:
    """Remove user NAME: their login and token stop working."""
    from ui.auth import remove_user

    users_file = _users_file(path)
    remove_user(users_file, name)
    click.echo(f"removed {name!r} from {users_file}")


@user.command(name="list")
@_USERS_FILE_OPTION
def user_list(path: Path | None) -> None:
    """List the users and their roles."""
    from ui.auth import read_users

    for account in read_users(_users_file(path)).values():
        click.echo(f"{account.name}  {account.role}")


def main() -> None:
    """Entry point: run the command, turning every expected failure into one line on stderr."""
    try:
        code = cli.main(standalone_mode=False)
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
