"""Eval reports after the run: an earlier report read back, two runs compared, and a report
as Markdown and as a chart (`footnote eval --compare/--markdown/--chart`)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from rag.errors import FootnoteError


def load_report(path: str) -> dict[str, Any]:
    """An earlier `eval --out` report; anything else is an error naming the file."""
    try:
        with open(path, encoding="utf-8") as handle:
            report = json.load(handle)
    except OSError as error:
        raise FootnoteError(f"cannot read report {path}: {error.strerror}") from error
    except json.JSONDecodeError as error:
        raise FootnoteError(f"{path} is not JSON: {error.msg} (line {error.lineno})") from error
    if not isinstance(report, dict) or not isinstance(report.get("summary"), dict):
        raise FootnoteError(f"{path} is not an eval report (no summary)")
    return report


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, Any, Any, float | None]]:
    """(metric, old, new, new - old) for every metric of the new summary; the delta is None
    when either side is missing or not a number."""
    rows = []
    for key, value in new.items():
        before = old.get(key)
        delta = round(value - before, 4) if _number(value) and _number(before) else None
        rows.append((key, before, value, delta))
    return rows


def _cell(value: Any) -> str:
    return "-" if value is None else str(value)


def _signed(delta: float | None) -> str:
    return "-" if delta is None else f"{delta:+g}"


def format_comparison(rows: list[tuple[str, Any, Any, float | None]]) -> str:
    """The comparison as an aligned terminal table."""
    width = max(len(key) for key, *_ in rows)
    lines = [f"{'metric':<{width}}  {'old':>10}  {'new':>10}  {'delta':>9}"]
    for key, before, after, delta in rows:
        lines.append(
            f"{key:<{width}}  {_cell(before):>10}  {_cell(after):>10}  {_signed(delta):>9}"
        )
    return "\n".join(lines)


def markdown_report(
    report: dict[str, Any], baseline: dict[str, Any] | None = None, title: str = "Evaluation"
) -> str:
    """The run as Markdown: settings, the summary (with deltas against `baseline`), and the
    answerable rows whose gold source was not retrieved."""
    lines = [f"# {title}", ""]
    for label, source in (("Settings", report), ("Baseline settings", baseline or {})):
        if source.get("settings"):
            settings = ", ".join(f"{k} = {v}" for k, v in source["settings"].items())
            lines += [f"{label}: {settings}.", ""]
    summary = report["summary"]
    if baseline is None:
        lines += ["| metric | value |", "|---|---:|"]
        lines += [f"| {key} | {_cell(value)} |" for key, value in summary.items()]
    else:
        lines += ["| metric | baseline | this run | delta |", "|---|---:|---:|---:|"]
        lines += [
            f"| {key} | {_cell(before)} | {_cell(after)} | {_signed(delta)} |"
            for key, before, after, delta in compare(baseline["summary"], summary)
        ]
    missed = [
        row for row in report.get("results", []) if row.get("answerable") and not row["gold_rank"]
    ]
    if missed:
        lines += ["", f"## Gold source not retrieved ({len(missed)})", ""]
        lines += [f"- `{row['id']}`: {row['question']}" for row in missed[:50]]
        if len(missed) > 50:
            lines.append(f"- … and {len(missed) - 50} more")
    return "\n".join(lines) + "\n"


CHART_METRICS = (
    "correct",
    "keyword_accuracy",
    "gold_source_cited",
    "citation_precision",
    "answer_f1",
    "short_answer_f1",
    "doc_hit@1",
    "doc_hit@5",
    "doc_hit@10",
    "doc_mrr@10",
    "ndcg@10",
    "span_hit@1",
    "span_hit@5",
    "span_hit@10",
    "false_abstention",
    "correct_abstention",
    "quote_validity",
)


LOWER_IS_BETTER = frozenset({"false_abstention", "verdicts_wrong"})  # rates a run should lower


def write_chart(summary: dict[str, Any], path: str, baseline: dict[str, Any] | None = None) -> None:
    """A horizontal bar chart (PNG) of the summary's rates, beside `baseline`'s if given; the
    rates where lower is better are labelled so and drawn in another colour."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [name for name in CHART_METRICS if _number(summary.get(name))]
    if not names:
        raise FootnoteError("no metrics to chart")
    positions = np.arange(len(names))
    height = 0.4 if baseline else 0.7
    figure, axes = plt.subplots(figsize=(7, 0.35 * len(names) + 1.2))
    try:
        if baseline:
            old = [float(baseline[n]) if _number(baseline.get(n)) else 0.0 for n in names]
            axes.barh(positions + height / 2, old, height, label="baseline", color="#bbbbbb")
        lower = [n in LOWER_IS_BETTER for n in names]
        bars = axes.barh(
            positions - (height / 2 if baseline else 0),
            [summary[n] for n in names],
            height,
            label="this run",
            color=["#c2703d" if low else "#3b6ea8" for low in lower],
        )
        axes.bar_label(bars, fmt="%.2f", padding=2, fontsize=8)
        axes.set_yticks(
            positions,
            [f"{n} (lower is better) ↓" if low else n for n, low in zip(names, lower, strict=True)],
        )
        axes.invert_yaxis()
        axes.set_xlim(0, 1.1)
        axes.set_title(f"footnote eval ({summary.get('questions', '?')} questions)")
        if baseline:
            axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2, fontsize=8)
        figure.tight_layout()
        try:
            figure.savefig(path, dpi=120)
        except OSError as error:
            raise FootnoteError(f"cannot write chart {path}: {error.strerror}") from error
    finally:
        plt.close(figure)
