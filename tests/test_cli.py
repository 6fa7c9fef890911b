"""The `footnote` command as scripts use it: JSON contracts and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, DEV_SET

FOOTNOTE = str(Path(sys.executable).with_name("footnote"))


def run(*args: str, data_dir: Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FOOTNOTE_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [FOOTNOTE, *args], capture_output=True, text=True, env=env, timeout=120, cwd=cwd
    )


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("cli-store")
    result = run("ingest", str(CORPUS), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "added 5, updated 0, unchanged 0, failed 0" in result.stdout
    return data_dir


def _one_line_error(result: subprocess.CompletedProcess[str], expected: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("footnote: error: ") and expected in lines[0]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("ask", "--bogus", "q"), "No such option '--bogus'"),
        (("ask", "   "), "the question is empty"),
        (("ingest", "/nonexistent/folder"), "path not found: /nonexistent/folder"),
        (("eval", "/nonexistent.jsonl"), "cannot read question set /nonexistent.jsonl"),
        (("frobnicate",), "No such command 'frobnicate'"),
        (("serve", "--port", "99999"), "99999 is not in the range"),
    ],
)
def test_bad_input_is_one_line_naming_the_problem(tmp_path, args, expected):
    _one_line_error(run(*args, data_dir=tmp_path / "d"), expected)


def test_empty_store_says_how_to_fill_it(tmp_path):
    _one_line_error(run("ask", "Who?", data_dir=tmp_path / "d"), "the store is empty")


def test_bad_setting_names_the_variable(tmp_path):
    env = {**os.environ, "FOOTNOTE_DATA_DIR": str(tmp_path), "FOOTNOTE_TOP_K": "many"}
    result = subprocess.run([FOOTNOTE, "status"], capture_output=True, text=True, env=env)
    _one_line_error(result, "setting FOOTNOTE_TOP_K")


def test_ask_json_prints_one_answer(ingested):
    result = run("ask", "Who is Anthropic's CEO?", "--json", data_dir=ingested)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert {"question", "answer", "abstained", "citations", "retrieved", "latency_ms"} <= set(
        answer
    )
    assert answer["engine"] == "extractive" and answer["support"] == 1.0
    assert "Amodei" in answer["answer"] and not answer["abstained"]
    assert set(answer["citations"][0]) == {
        "n",
        "source",
        "title",
        "chunk_id",
        "start_char",
        "end_char",
        "quote",
    }
    assert {"source", "chunk_id", "score", "text"} <= set(answer["retrieved"][0])


def test_ask_prints_answer_and_sources_for_people(ingested):
    result = run(
        "ask", "What must developers do before they can access the Cohere API?", data_dir=ingested
    )
    assert result.returncode == 0, result.stderr
    assert "approval" in result.stdout and "Sources:" in result.stdout
    assert "[1] How other platforms handle this — 001_9539abd9dd0b22a7.txt" in result.stdout


def test_status_and_reingest(ingested):
    status = json.loads(run("status", "--json", data_dir=ingested).stdout)
    assert status["documents"] == 5 and status["chunks"] > 5
    assert sum(f["chunks"] for f in status["files"]) == status["chunks"]
    again = run("ingest", str(CORPUS), "--json", data_dir=ingested)
    report = json.loads(again.stdout)
    assert report["chunks_embedded"] == 0 and len(report["unchanged"]) == 5
    assert len(list((ingested / "bm25").glob("*.bin"))) == 1  # the writer's index, one copy


def test_eval_writes_summary_and_results(ingested, tmp_path):
    out = tmp_path / "report.json"
    result = run("eval", str(DEV_SET), "--out", str(out), data_dir=ingested)
    assert result.returncode == 0, result.stderr
    assert "correct_abstention" in result.stdout
    report = json.loads(out.read_text())
    assert report["summary"]["questions"] == 13
    first = report["results"][0]
    assert first["id"] == "d01" and "citations" in first and "answer" in first


def test_failed_file_gives_nonzero_exit_but_stores_the_rest(tmp_path):
    (tmp_path / "ok.txt").write_text("Fine text about badgers.\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00\x00")
    result = run("ingest", str(tmp_path), data_dir=tmp_path / "d")
    assert result.returncode == 1
    assert "footnote: skipped" in result.stderr and "bad.txt: binary data" in result.stderr
    assert "added 1" in result.stdout


def test_rendering_marks_unsupported_sentences_and_says_why():
    from rag.types import Answer, Citation, SentenceCheck
    from ui.render import render_terminal

    citation = Citation(
        n=1, source="a.txt", title="A", chunk_id="c", start_char=0, end_char=5, quote="Alpha"
    )
    answer = Answer(
        question="q",
        answer="Alpha is first. [1] Beta is made up.",
        abstained=False,
        citations=[citation],
        standalone_question="What is alpha?",
        notice="the language model endpoint cannot be reached; showing the extractive answer.",
        sentences=[
            SentenceCheck(
                text="Alpha is first. [1]", citations=[1], supported=True, lexical=1, similarity=1
            ),
            SentenceCheck(
                text="Beta is made up.", citations=[], supported=False, lexical=0, similarity=0
            ),
        ],
    )
    text = render_terminal(answer)
    assert "Alpha is first. [1] Beta is made up. ⚠ unsupported" in text
    assert "(searched for: What is alpha?)" in text and "note: the language model" in text
    assert "[1] A — a.txt, chars 0–5" in text
