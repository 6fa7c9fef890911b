"""`footnote eval`: a question set run through the chat's pipeline and scored, on the store or on
a folder ingested into a temporary one, compared with an earlier report if asked."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from rag.errors import FootnoteError
from rag.settings import get_settings
from rag.types import Filters
from ui.cli_filters import filter_options, parse_filters


@click.command(name="eval")
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
@filter_options
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
    documents the filters let through, if any are given): each question PASS or FAIL with
    why, then the summary."""
    from rag import eval_report as reports
    from rag import evaluate as ev
    from rag import verdicts as vd

    if chunk_tokens is not None and corpus is None:
        raise click.UsageError(
            "--chunk-tokens needs --corpus DIR: chunks are cut at ingest, so the size only "
            "applies to documents ingested for this run"
        )
    filters = parse_filters(source, after, before, types)
    rows = ev.load_questions(str(questions))
    baseline = reports.load_report(str(compare)) if compare else None
    chosen = {"retriever": retriever, "top_k": top_k, "chunk_tokens": chunk_tokens}
    overrides = {key: value for key, value in chosen.items() if value is not None}
    report = _run_eval(rows, overrides, corpus, filters)
    judged = vd.verdicts(rows, report["results"])
    for row, found in zip(report["results"], judged, strict=True):
        row.update(passed=found.passed, why=found.why)
    click.echo(vd.as_lines(judged))
    click.echo(f"{sum(v.passed for v in judged)} of {len(judged)} passed\n")
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
        click.echo(reports.format_comparison(reports.compare(baseline["summary"], summary)))
    if out:
        _write(out, json.dumps(report, indent=2, ensure_ascii=False), "report")
        click.echo(f"report written to {out}")
    if markdown:
        text = reports.markdown_report(report, baseline, f"Evaluation: {questions.name}")
        text += "\n" + vd.as_markdown(judged)
        _write(markdown, text, "Markdown report")
        click.echo(f"Markdown report written to {markdown}")
    if chart:
        reports.write_chart(summary, str(chart), baseline["summary"] if baseline else None)
        click.echo(f"chart written to {chart}")


def _run_eval(
    rows: list[Any], overrides: dict[str, Any], corpus: Path | None, filters: Filters
) -> dict[str, Any]:
    """The eval report: on the configured store, or on `corpus` ingested into a temporary
    one with this run's settings."""
    import tempfile
    from contextlib import ExitStack

    from tqdm import tqdm

    from rag import evaluate as ev
    from rag.assistant import Assistant

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
        return ev.evaluate(
            assistant,
            rows,
            progress=lambda items: tqdm(items, desc="eval", unit="question", file=sys.stderr),
            filters=filters,
        )


def _ingest_for_eval(assistant: Any, corpus: Path) -> None:
    from tqdm import tqdm

    from ingest.library import Library

    library = Library(assistant.store, assistant.settings, lambda: assistant.embed_model)
    report = library.sync(
        [corpus], progress=lambda files: tqdm(files, desc="ingest", unit="file", file=sys.stderr)
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
