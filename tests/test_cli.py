"""The `footnote` command as scripts use it: JSON contracts and one-line errors. Most run
in-process (the `footnote` fixture); the ingest of the store, the exit code of an abstention and
a bad setting are checked on the real command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, DEV_SET, Footnote, Ran

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


def _one_line_error(result: subprocess.CompletedProcess[str] | Ran, expected: str) -> None:
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
def test_bad_input_is_one_line_naming_the_problem(tmp_path, footnote: Footnote, args, expected):
    _one_line_error(footnote(*args, data_dir=tmp_path / "d"), expected)


def test_empty_store_says_how_to_fill_it(tmp_path, footnote: Footnote):
    _one_line_error(footnote("ask", "Who?", data_dir=tmp_path / "d"), "the store is empty")


def test_bad_setting_names_the_variable(tmp_path):
    env = {**os.environ, "FOOTNOTE_DATA_DIR": str(tmp_path), "FOOTNOTE_TOP_K": "many"}
    result = subprocess.run([FOOTNOTE, "status"], capture_output=True, text=True, env=env)
    _one_line_error(result, "setting FOOTNOTE_TOP_K")


def test_ask_json_prints_one_answer(ingested, footnote: Footnote):
    result = footnote("ask", "Who is Anthropic's CEO?", "--json", data_dir=ingested)
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


def test_ask_prints_answer_and_sources_for_people(ingested, footnote: Footnote):
    result = footnote(
        "ask", "What must developers do before they can access the Cohere API?", data_dir=ingested
    )
    assert result.returncode == 0, result.stderr
    assert "approval" in result.stdout and "Sources:" in result.stdout
    assert "[1] How other platforms handle this — 001_9539abd9dd0b22a7.txt" in result.stdout


def test_ask_exits_3_when_the_documents_do_not_answer(ingested, footnote: Footnote):
    result = run("ask", "What is the capital of Mars?", data_dir=ingested)  # the real command
    assert result.returncode == 3, result.stderr  # scripts need not read the text
    assert result.stdout.startswith("I couldn't find that in the documents.")
    assert "(searched for the words: capital, Mars)" in result.stdout and not result.stderr
    as_json = footnote("ask", "What is the capital of Mars?", "--json", data_dir=ingested)
    assert as_json.returncode == 3 and json.loads(as_json.stdout)["abstained"] is True


def test_show_takes_a_unique_prefix_or_a_title_and_suggests_close_names(
    ingested, footnote: Footnote
):
    expected = (CORPUS / "003_1b56008558d8ff6d.txt").read_text(encoding="utf-8")
    assert footnote("show", "003", data_dir=ingested).stdout == expected + "\n"
    titled = footnote("show", "trump moves to ban anthropic", data_dir=ingested)
    assert titled.returncode == 0, titled.stderr
    assert titled.stdout.startswith('---\ntitle: "Trump moves to ban Anthropic')
    _one_line_error(
        footnote("show", "00", data_dir=ingested),
        "'00' matches 5 documents: 000_820c1329e01e518e.txt",
    )
    _one_line_error(
        footnote("show", "003_1b56008558d8ff6e.txt", data_dir=ingested),
        "did you mean '003_1b56008558d8ff6d.txt'",
    )


def test_status_and_reingest(ingested, footnote: Footnote):
    status = json.loads(footnote("status", "--json", data_dir=ingested).stdout)
    assert status["documents"] == 5 and status["chunks"] > 5
    assert sum(f["chunks"] for f in status["files"]) == status["chunks"]
    again = footnote("ingest", str(CORPUS), "--json", data_dir=ingested)
    report = json.loads(again.stdout)
    assert report["chunks_embedded"] == 0 and len(report["unchanged"]) == 5
    assert len(list((ingested / "bm25").glob("*.bin"))) == 1  # the writer's index, one copy


def test_eval_writes_summary_and_results(ingested, tmp_path, footnote: Footnote):
    out = tmp_path / "report.json"
    result = footnote("eval", str(DEV_SET), "--out", str(out), data_dir=ingested)
    assert result.returncode == 0, result.stderr
    assert "correct_abstention" in result.stdout
    report = json.loads(out.read_text())
    assert report["summary"]["questions"] == 13
    first = report["results"][0]
    assert first["id"] == "d01" and "citations" in first and "answer" in first
    # Each question PASS or FAIL (with why), on the terminal and in the report.
    judged = [line for line in result.stdout.splitlines() if line[:4] in ("PASS", "FAIL")]
    assert len(judged) == 13 and judged[0].startswith("PASS  d01  ")
    assert all(("  — " in line) == line.startswith("FAIL") for line in judged)
    assert all(isinstance(row["passed"], bool) and "why" in row for row in report["results"])
    passed = sum(row["passed"] for row in report["results"])
    assert f"{passed} of 13 passed" in result.stdout


def test_failed_file_gives_nonzero_exit_but_stores_the_rest(tmp_path, footnote: Footnote):
    (tmp_path / "ok.txt").write_text("Fine text about badgers.\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00\x00")
    result = footnote("ingest", str(tmp_path), data_dir=tmp_path / "d")
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
