"""Answer records against a real store, and `footnote verify`, `answer` and `records` as
people run them: answers are asked and recorded (and exported as JSON), then their documents
are edited, rewritten or deleted and re-ingested, and each citation is seen as it is now:
current, moved (with its new span), changed or removed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.sync import ingest
from rag import export, records
from rag.assistant import Assistant
from rag.db import Database
from rag.records import AnswerRecord, Records, save_answer
from rag.records_check import (
    ExportInvalid,
    check_quote,
    check_record,
    find_quote,
    store_lookup,
    verify_export,
)
from rag.settings import Settings
from rag.types import Document, Filters
from tests.conftest import Footnote
from ui.cli_records import folder_lookup

FOOTNOTE = str(Path(sys.executable).with_name("footnote"))
PREFACE = "A preface added in the second edition.\n\n"
# One document per fate, each answering its own question.
DOCUMENTS = {
    "beavers.txt": (
        "Beavers\n\nBeavers build their dams from branches, stones and mud. A beaver family "
        "lives in a lodge with an underwater entrance.\n",
        "What do beavers build their dams from?",
    ),
    "okapis.txt": (
        "Okapis\n\nThe okapi is the only living relative of the giraffe. Okapis live in the "
        "rainforests of the Congo.\n",
        "What is the only living relative of the giraffe?",
    ),
    "puffins.txt": (
        "Puffins\n\nAtlantic puffins dig burrows on grassy cliff tops. Puffins can hold ten "
        "small fish in their beaks at once.\n",
        "Where do Atlantic puffins dig their burrows?",
    ),
    "tardigrades.txt": (
        "Tardigrades\n\nTardigrades survive being frozen, boiled and dried out. They are about "
        "half a millimetre long.\n",
        "What can tardigrades survive?",
    ),
}
FATES = {
    "beavers.txt": "moved",
    "okapis.txt": "changed",
    "puffins.txt": "removed",
    "tardigrades.txt": "current",
}


@dataclass
class Scenario:
    assistant: Assistant
    records: Records
    saved: dict[str, AnswerRecord]  # by document
    docs: Path  # the folder as it is now (edited)
    original: Path  # a copy of it as it was when the answers were given
    exported: Path  # the four answers, exported as one JSON conversation
    data_dir: Path


def _edit(docs: Path) -> None:
    """Give each document its fate: a preface (the quotes move), a rewrite (they are gone),
    deletion; the last stays as it was."""
    beavers = docs / "beavers.txt"
    beavers.write_text(PREFACE + beavers.read_text(encoding="utf-8"), encoding="utf-8")
    (docs / "okapis.txt").write_text(
        "Okapis\n\nGiraffes have one close cousin, a forest animal with striped legs.\n",
        encoding="utf-8",
    )
    (docs / "puffins.txt").unlink()


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    root = tmp_path_factory.mktemp("records")
    docs, original, data_dir = root / "docs", root / "original", root / "data"
    docs.mkdir()
    for name, (text, _) in DOCUMENTS.items():
        (docs / name).write_text(text, encoding="utf-8")
    shutil.copytree(docs, original)
    settings = Settings(data_dir=data_dir)
    assistant = Assistant(settings)
    assert not ingest([docs], assistant.store, assistant.embed_model, settings).failed
    records = Records(Database.from_settings(settings))
    saved, exchanges = {}, []
    for name, (_, question) in DOCUMENTS.items():
        answer = assistant.ask(question)
        assert not answer.abstained and {c.source for c in answer.citations} == {name}, answer
        meta = export.describe(answer, assistant.store, settings, datetime.now(UTC))
        answer = save_answer(records, answer, meta, "ann", Filters())
        assert answer.record_id, answer.notice
        saved[name] = records.get(answer.record_id)
        exchanges.append(export.Exchange(answer, meta))
    exported = root / "conversation.json"
    exported.write_text(export.to_json(exchanges, conversation=True), encoding="utf-8")
    _edit(docs)
    assert ingest([docs], assistant.store, assistant.embed_model, settings).removed
    return Scenario(assistant, records, saved, docs, original, exported, data_dir)


def test_each_citation_of_a_record_is_checked_against_the_store_now(scenario: Scenario):
    lookup = store_lookup(scenario.assistant.store)
    for name, fate in FATES.items():
        record = check_record(scenario.records.get(scenario.saved[name].id), lookup)
        assert [c.status for c in record.citations] == [fate] * len(record.citations), name
        assert record.stale == (fate != "current")
        for citation in record.citations:
            if fate != "moved":
                assert citation.moved_to is None
                continue
            assert citation.moved_to is not None
            now = scenario.assistant.store.get_document(name).text
            span = citation.moved_to
            assert (span.start_char, span.end_char) == (
                citation.start_char + len(PREFACE),
                citation.end_char + len(PREFACE),
            )
            assert now[span.start_char : span.end_char] == citation.quote
        shown = json.loads(record.model_dump_json())["citations"]
        assert all(c["status"] == fate for c in shown)
        assert all(("moved_to" in c) == (fate == "moved") for c in shown)


def test_verify_checks_an_export_against_the_store_or_a_folder(scenario: Scenario):
    by_store = verify_export(scenario.exported, store_lookup(scenario.assistant.store))
    assert {c.source: c.status for c in by_store} == FATES
    assert [c.answer for c in by_store] == sorted(c.answer for c in by_store)

    assert {
        c.status for c in verify_export(scenario.exported, folder_lookup(scenario.original))
    } == {"current"}
    assert {
        c.source: c.status for c in verify_export(scenario.exported, folder_lookup(scenario.docs))
    } == FATES


# --------------------------------------------------------------------------- the commands


def _run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FOOTNOTE_DATA_DIR": str(data_dir)}
    return subprocess.run([FOOTNOTE, *args], capture_output=True, text=True, env=env, timeout=180)


def test_footnote_verify_exits_nonzero_when_anything_is_not_current(
    scenario: Scenario, footnote: Footnote
):
    stale = _run("verify", str(scenario.exported), data_dir=scenario.data_dir)  # the real command
    assert stale.returncode == 1, stale.stderr
    assert "citations checked against the store:" in stale.stdout
    assert "tardigrades.txt" in stale.stdout and ": current" in stale.stdout
    assert "beavers.txt" in stale.stdout and "moved" in stale.stdout
    assert "okapis.txt" in stale.stdout and "no longer holds the quote" in stale.stdout
    assert "puffins.txt" in stale.stdout and "removed" in stale.stdout

    fresh = footnote(
        "verify",
        str(scenario.exported),
        "--against",
        str(scenario.original),
        "--json",
        data_dir=scenario.data_dir,
    )
    assert fresh.returncode == 0, fresh.stderr
    assert {c["status"] for c in json.loads(fresh.stdout)} == {"current"}

    edited = footnote(
        "verify",
        str(scenario.exported),
        "--against",
        str(scenario.docs),
        "--json",
        data_dir=scenario.data_dir,
    )
    assert edited.returncode == 1
    assert {c["source"]: c["status"] for c in json.loads(edited.stdout)} == FATES


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"{not json", "not JSON: Expecting property name enclosed in double quotes (line 1"),
        (b"\xff\xfe%PDF", "not a JSON export: it is not UTF-8 text"),
        (b"[1, 2, 3]", "not a Footnote JSON export"),
        (b'{"name": "some other tool"}', "not a Footnote JSON export"),
        (b'{"answers": [{"question": "q", "citations": []}]}', "answers[0].export: Field required"),
        (
            b'{"question": "q", "answer": "a", "export": {"document_hashes": {}}, '
            b'"citations": [{"n": 1, "source": "a.txt", "start_char": -4, "end_char": 3, '
            b'"quote": "x"}]}',
            "citations[0].start_char: Input should be greater than or equal to 0",
        ),
    ],
)
def test_verify_names_the_file_and_field_of_a_bad_export(
    tmp_path: Path, footnote: Footnote, content: bytes, says: str
):
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    with pytest.raises(ExportInvalid, match="^" + str(bad).replace(".", r"\.")) as caught:
        verify_export(bad, lambda source: None)
    assert says in str(caught.value)
    result = footnote("verify", str(bad), data_dir=tmp_path / "data")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"footnote: error: {bad}: {str(caught.value).split(': ', 1)[1]}"


def test_footnote_answer_prints_a_record_with_its_statuses(scenario: Scenario, footnote: Footnote):
    record = scenario.saved["beavers.txt"]
    shown = footnote("answer", record.id, data_dir=scenario.data_dir)
    assert shown.returncode == 0, shown.stderr
    assert f"Answer record {record.id}" in shown.stdout and "by ann" in shown.stdout
    assert "Warning: the documents changed" in shown.stdout and "(now chars" in shown.stdout
    as_json = json.loads(footnote("answer", record.id, "--json", data_dir=scenario.data_dir).stdout)
    assert as_json["answer"]["record_id"] == record.id
    assert {c["status"] for c in as_json["citations"]} == {"moved"}

    for asked, says in [("A" * 24, "no answer record has this id"), ("?", "not a record id")]:
        missing = footnote("answer", asked, data_dir=scenario.data_dir)
        assert missing.returncode == 1 and "Traceback" not in missing.stderr
        assert missing.stderr.startswith(f"footnote: error: answer record {asked!r}: {says}")
        assert len(missing.stderr.strip().splitlines()) == 1


def test_records_export_and_prune(scenario: Scenario, tmp_path: Path, footnote: Footnote):
    out = tmp_path / "audit.jsonl"
    done = footnote("records", "export", str(out), data_dir=scenario.data_dir)
    assert done.returncode == 0 and "4 answer records written" in done.stdout
    exported = [AnswerRecord.model_validate_json(line) for line in out.read_text().splitlines()]
    assert {r.id for r in exported} == {r.id for r in scenario.saved.values()}

    bad = footnote("records", "prune", "--before", "last week", data_dir=scenario.data_dir)
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
    kept = footnote("records", "prune", "--before", "2000-01-01", data_dir=scenario.data_dir)
    assert "deleted 0 answer records asked before 2000-01-01" in kept.stdout


def test_footnote_ask_saves_with_save_or_a_configured_database(tmp_path: Path, footnote: Footnote):
    """`--save` saves (and `footnote answer` opens it, `status` counts it); without it nothing
    is saved, unless FOOTNOTE_DATABASE_URL is set."""
    data_dir = tmp_path / "data"
    (tmp_path / "docs").mkdir()
    text, question = DOCUMENTS["tardigrades.txt"]
    (tmp_path / "docs" / "tardigrades.txt").write_text(text, encoding="utf-8")
    settings = Settings(data_dir=data_dir)
    assistant = Assistant(settings)
    assert not ingest([tmp_path / "docs"], assistant.store, assistant.embed_model, settings).failed

    unsaved = footnote("ask", question, "--json", data_dir=data_dir)
    assert unsaved.returncode == 0, unsaved.stderr
    assert "record_id" not in json.loads(unsaved.stdout)
    status = json.loads(footnote("status", "--json", data_dir=data_dir).stdout)["database"]
    assert status["records"] == 0
    exported = tmp_path / "answer.md"
    saved = footnote("ask", question, "--save", "--export", str(exported), data_dir=data_dir)
    record_id = saved.stderr.split("saved as answer record ", 1)[1].split()[0]
    assert f"(answers/{record_id})" in exported.read_text()  # its permalink, relative
    opened = footnote("answer", record_id, "--json", data_dir=data_dir)
    assert json.loads(opened.stdout)["citations"][0]["status"] == "current"
    status = json.loads(footnote("status", "--json", data_dir=data_dir).stdout)["database"]
    assert status["records"] == 1 and status["revision"]

    elsewhere = {"FOOTNOTE_DATABASE_URL": f"sqlite:///{tmp_path / 'audit.db'}"}
    for flags, kept in ((["--json"], True), (["--json", "--no-save"], False)):
        asked = footnote("ask", question, *flags, data_dir=data_dir, env=elsewhere)
        assert ("record_id" in json.loads(asked.stdout)) == kept, (flags, asked.stderr)


# --------------------------------------------------------------------------- the rules


def _document(text: str, content_hash: str = "new") -> Document:
    return Document(source="a.txt", title="A", text=text, content_hash=content_hash)


def test_check_quote_statuses():
    assert check_quote("old", 4, "dams", None).status == "removed"
    assert check_quote("old", 4, "dams", _document("zzz", "old")).status == "current"
    moved = check_quote("old", 4, "dams", _document("Big dams, small dams"))
    assert moved.status == "moved" and moved.moved_to is not None
    assert (moved.moved_to.start_char, moved.moved_to.end_char) == (4, 8)
    assert check_quote("old", 4, "dams", _document("Big lodges")).status == "changed"
    # Exported without a hash (the document was gone then): judged by the quote alone.
    assert check_quote(None, 0, "dams", _document("dams")).status == "moved"


TEXT = "ab ab ab. ab ab ab ab"  # "ab" at 0, 3, 6, 10, 13, 16 and 19


@pytest.mark.parametrize(
    ("near", "expected"), [(0, 0), (9, 10), (14, 13), (16, 16), (99, 19), (8, 6)]
)
def test_a_moved_quote_is_the_occurrence_nearest_where_it_was(near: int, expected: int):
    span = find_quote(TEXT, "ab", near)
    assert span is not None and (span.start_char, span.end_char) == (expected, expected + 2)


def test_an_empty_or_missing_quote_is_found_nowhere():
    assert find_quote(TEXT, "", 3) is None and find_quote(TEXT, "zz", 3) is None


def test_a_record_id_never_starts_like_an_option(monkeypatch: pytest.MonkeyPatch):
    drawn = iter(["-Sax" + "a" * 20, "Sax" + "a" * 21])
    monkeypatch.setattr(records.secrets, "token_urlsafe", lambda _: next(drawn))
    assert records.new_id() == "Sax" + "a" * 21
