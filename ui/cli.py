"""The `footnote` command: ingest, ask, eval, serve, status. Errors are one line, no traceback."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

import rag  # noqa: F401  (sets the offline environment before any model library loads)
from rag.errors import FootnoteError
from rag.settings import Settings, get_settings
from rag.types import Answer


def _assistant() -> Any:
    from rag.assistant import Assistant

    return Assistant(get_settings())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Footnote: answers from your documents, every claim cited to its passage."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def ingest(paths: tuple[Path, ...], as_json: bool) -> None:
    """Sync files and folders (.txt, .md) into the store."""
    from tqdm import tqdm

    from ingest.sync import ingest as run_ingest

    assistant = _assistant()
    report = run_ingest(
        paths,
        assistant.store,
        assistant.embed_model,
        assistant.settings,
        progress=lambda files: tqdm(files, desc="ingest", unit="file", file=sys.stderr),
    )
    for failure in report.failed:
        click.echo(f"footnote: skipped {failure['path']}: {failure['reason']}", err=True)
    if as_json:
        click.echo(json.dumps(asdict(report), indent=2))
    else:
        click.echo(
            f"added {len(report.added)}, updated {len(report.updated)}, "
            f"unchanged {len(report.unchanged)}, failed {len(report.failed)}; "
            f"{report.chunks_embedded} chunks embedded in {report.seconds:.1f} s"
        )
    if report.failed:
        sys.exit(1)


@cli.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the Answer as JSON.")
def ask(question: str, as_json: bool) -> None:
    """Answer QUESTION from the stored documents, with citations."""
    answer = _assistant().ask(question)
    click.echo(answer.model_dump_json(indent=2) if as_json else render_answer(answer))


def render_answer(answer: Answer) -> str:
    """An Answer as terminal text: the answer, then its numbered sources."""
    lines = [answer.answer, ""]
    if answer.abstained:
        lines.append("Closest passages:")
        for passage in answer.retrieved[:3]:
            snippet = " ".join(passage.text.split())[:200]
            lines.append(f"  - {passage.title} ({passage.source}): {snippet}…")
    else:
        lines.append("Sources:")
        for citation in answer.citations:
            lines.append(
                f"  [{citation.n}] {citation.title} — {citation.source}, "
                f"chars {citation.start_char}–{citation.end_char}"
            )
            lines.append(f"      “{' '.join(citation.quote.split())}”")
    return "\n".join(lines)


@cli.command(name="eval")
@click.argument("questions", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the report.")
def evaluate(questions: Path, out: Path | None) -> None:
    """Run a JSONL question set through the chat's pipeline and score it."""
    from tqdm import tqdm

    from rag.evaluate import evaluate as run_eval
    from rag.evaluate import load_questions

    rows = load_questions(str(questions))
    report = run_eval(
        _assistant(),
        rows,
        progress=lambda items: tqdm(items, desc="eval", unit="question", file=sys.stderr),
    )
    width = max(len(key) for key in report["summary"])
    for key, value in report["summary"].items():
        click.echo(f"{key:<{width}}  {'-' if value is None else value}")
    if out:
        try:
            out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
        except OSError as error:
            raise FootnoteError(f"cannot write report {out}: {error.strerror}") from error
        click.echo(f"report written to {out}")


@cli.command()
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1).")
@click.option("--port", default=None, type=click.IntRange(1, 65535), help="Port (default 7860).")
def serve(host: str | None, port: int | None) -> None:
    """Serve the web chat."""
    from ui.app import serve as run_server

    settings = get_settings()
    run_server(_assistant(), host or settings.host, port or settings.port)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(as_json: bool) -> None:
    """Show what the store holds and where it lives."""
    settings: Settings = get_settings()
    assistant = _assistant()
    documents = assistant.store.list_documents()
    info = {
        "data_dir": str(settings.data_dir.resolve()),
        "store": str(settings.chroma_dir.resolve()),
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
        click.echo(f"  {document.source}  ({document.chunks} chunks)  {document.title}")


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
