"""`footnote eval` run options: per-run overrides on a temporary store, --compare, reports."""

from __future__ import annotations

import json

from tests.conftest import CORPUS, DEV_SET, Footnote
from tests.test_cli import _one_line_error


def test_eval_overrides_compare_markdown_and_chart(tmp_path, footnote: Footnote):
    unused = tmp_path / "unused-store"
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    first = footnote(
        "eval",
        str(DEV_SET),
        "--corpus",
        str(CORPUS),
        "--retriever",
        "bm25",
        "--top-k",
        "3",
        "--chunk-tokens",
        "120",
        "--out",
        str(old),
        data_dir=unused,
    )
    assert first.returncode == 0, first.stderr
    baseline = json.loads(old.read_text())
    assert baseline["settings"]["retriever"] == "bm25"
    assert baseline["settings"]["chunk_tokens"] == 120
    assert all(len(row["retrieved"]) <= 3 for row in baseline["results"])
    assert "into a temporary store" in first.stderr
    assert not (unused / "chroma").exists()  # the configured store was never touched

    markdown, chart = tmp_path / "report.md", tmp_path / "chart.png"
    second = footnote(
        "eval",
        str(DEV_SET),
        "--corpus",
        str(CORPUS),
        "--compare",
        str(old),
        "--markdown",
        str(markdown),
        "--chart",
        str(chart),
        "--out",
        str(new),
        data_dir=unused,
    )
    assert second.returncode == 0, second.stderr
    current = json.loads(new.read_text())
    assert current["settings"]["retriever"] == "hybrid"
    lines = second.stdout.splitlines()
    lines = lines[lines.index(f"compared with {old}") :]  # after each question's PASS or FAIL
    assert "retriever bm25 → hybrid" in lines[1] and "top_k 3 → 10" in lines[1]
    for key in ("ndcg@10", "doc_mrr@10", "latency_p50_ms"):
        row = next(line.split() for line in lines if line.startswith(key + " "))
        before, after = baseline["summary"][key], current["summary"][key]
        assert float(row[1]) == before and float(row[2]) == after
        assert float(row[3]) == round(after - before, 4)
    text = markdown.read_text()
    assert text.startswith("# Evaluation: dev.jsonl") and "| metric | baseline |" in text
    assert "## Per question (" in text and "| Who is Anthropic's CEO? | `d03` | pass | - |" in text
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_eval_option_errors_are_one_line(tmp_path, footnote: Footnote):
    _one_line_error(
        footnote("eval", str(DEV_SET), "--chunk-tokens", "100", data_dir=tmp_path),
        "--chunk-tokens needs --corpus DIR",
    )
    bad = tmp_path / "bad.json"
    bad.write_text("[]")
    _one_line_error(
        footnote("eval", str(DEV_SET), "--compare", str(bad), data_dir=tmp_path),
        "is not an eval report",
    )
