"""The repositories' contract, the same on SQLite and PostgreSQL: conversations, feedback,
the shared answer cache and answer records behave as the file-backed versions did, and two
Database objects on one database (two chat servers) see each other's writes."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from rag import records as records_module
from rag.cache import AnswerCache
from rag.db import Database
from rag.db_cache import SharedAnswerCache
from rag.db_schema import answer_cache, record_citations
from rag.db_state import DatabaseConversations, DatabaseFeedback
from rag.export import ExportMeta
from rag.records import AnswerRecord, RecordNotFound, Records, new_record
from rag.settings import Settings
from rag.types import Answer, Citation, Filters
from tests import legacy_files as legacy

pytest_plugins = ["tests.postgres"]  # the backend_url and open_database fixtures
OpenDatabase = Callable[..., Database]


def _answer(question: str = "Who leads Anthropic?", cited: int = 2) -> Answer:
    citations = [
        Citation(
            n=n,
            source=f"doc{n}.txt",
            title=f"Document {n}",
            chunk_id=f"v{n}-0",
            start_char=10 * n,
            end_char=10 * n + 9,
            quote=f"quote {n}…",
            page=n if n % 2 else None,
        )
        for n in range(1, cited + 1)
    ]
    return Answer(
        question=question, answer="Dario Amodei [1].", abstained=False, citations=citations
    )


def _meta(asked_at: datetime, gone: str | None = None) -> ExportMeta:
    hashes = {f"doc{n}.txt": f"{n:064x}" for n in range(1, 4)}
    if gone:
        hashes[gone] = None  # the document was no longer in the store when answered
    return ExportMeta(
        asked_at=asked_at,
        engine="extractive",
        settings={"top_k": 10},
        document_hashes=hashes,
    )


# --------------------------------------------------------------------------- conversations


def test_conversations_round_trip_per_owner_and_across_servers(open_database: OpenDatabase):
    first, second = DatabaseConversations(open_database()), DatabaseConversations(open_database())
    assert first.load("user:ann") == ([], [])
    messages = [{"role": "user", "content": "Héllo"}, {"role": "assistant", "content": "Hi"}]
    turns = [{"id": "t1", "message": 1, "answer": {"question": "Héllo"}, "rating": None}]
    first.save("user:ann", messages, turns)
    assert second.load("user:ann") == (messages, turns)  # the next request, another server
    assert second.load("user:bob") == ([], [])
    second.save("user:ann", [*messages, *messages], turns)
    assert first.load("user:ann")[0] == [*messages, *messages]
    first.save("user:ann", [], [])  # nothing to keep: cleared
    assert second.load("user:ann") == ([], [])
    second.save("browser:" + "a" * 32, messages, [])
    first.clear("browser:" + "a" * 32)
    assert second.load("browser:" + "a" * 32) == ([], [])


def test_browser_secret_is_made_once_and_shared(open_database: OpenDatabase):
    secret = DatabaseConversations(open_database()).secret()
    assert len(secret) == 64 and int(secret, 16) >= 0
    assert DatabaseConversations(open_database()).secret() == secret


# --------------------------------------------------------------------------- feedback


def test_feedback_keeps_every_event_and_the_latest_per_answer_counts(
    open_database: OpenDatabase, tmp_path: Path
):
    stored = DatabaseFeedback(open_database())
    early, late = datetime(2024, 5, 1, tzinfo=UTC), datetime(2024, 5, 2, tzinfo=UTC)
    stored.record("a1", _answer("first?"), "down", "  wrong year  ", asked_at=late)
    stored.record("a2", _answer("second?"), "up", asked_at=early)
    stored.record("a1", _answer("first?"), "down", "wrong year, and the name", asked_at=late)
    stored.record("a3", _answer("third?"), None)  # a rating taken back
    shown = DatabaseFeedback(open_database()).load()
    assert [event.answer_id for event in shown] == ["a2", "a1", "a3"]  # by when asked
    assert shown[1].comment == "wrong year, and the name" and shown[1].asked_at == late
    assert shown[0].answer == _answer("second?") and shown[2].rating is None

    # The same disliked-answer question set the file-backed export writes.
    data_dir = tmp_path / "files"
    for event in shown:
        legacy.record_feedback(
            data_dir, event.answer_id, event.answer, event.rating, event.comment, event.asked_at
        )
    ours, theirs = tmp_path / "ours.jsonl", tmp_path / "theirs.jsonl"
    assert stored.export_questions(ours) == legacy.export_feedback_questions(data_dir, theirs) == 1
    assert ours.read_text() == theirs.read_text()


# --------------------------------------------------------------------------- answer cache


def test_shared_cache_is_lru_bounded_and_shared(open_database: OpenDatabase):
    one, two = SharedAnswerCache(open_database(), 2), SharedAnswerCache(open_database(), 2)
    assert one.get("k0") is None
    one.put("k0", _answer("q0"))
    one.put("k1", _answer("q1"))
    assert two.get("k0") == _answer("q0")  # another server's answer; k0 is now the fresher
    two.put("k2", _answer("q2"))  # over the bound: the least recently used (k1) goes
    assert one.get("k1") is None and one.get("k0") is not None and one.get("k2") is not None
    assert one.stats().entries == 2
    assert (one.stats().hits, one.stats().misses) == (2, 2)
    assert (two.stats().hits, two.stats().misses) == (1, 0)
    with pytest.raises(ValueError, match="entries"):
        SharedAnswerCache(open_database(), 0)


def test_cached_answer_carries_no_record_id_and_bad_rows_are_misses(open_database: OpenDatabase):
    database = open_database()
    cache = SharedAnswerCache(database)
    cache.put("k", _answer().model_copy(update={"record_id": "x" * 24}))
    hit = cache.get("k")
    assert hit is not None and hit.record_id is None
    with database.transaction() as connection:  # a row from a version whose Answer differs
        connection.execute(update(answer_cache).values(answer={"question": 3}))
    assert cache.get("k") is None


def test_cache_key_ignores_where_a_server_runs():
    settings = Settings(data_dir=Path("/a"), port=7860)
    elsewhere = Settings(data_dir=Path("/b"), port=8000, database_url="sqlite:////x.db")
    other = Settings(data_dir=Path("/a"), top_k=3)
    key = AnswerCache.key
    assert key("q", settings, None, "v1") == key("q", elsewhere, None, "v1")
    assert key("q", settings, None, "v1") != key("q", other, None, "v1")


# --------------------------------------------------------------------------- records


def test_record_round_trip(open_database: OpenDatabase):
    records = Records(open_database())
    filters = Filters.parse(source="doc*", after="2024-01-01", types=["txt"])
    record = new_record(
        _answer(cited=3), _meta(datetime(2024, 6, 1, 12, tzinfo=UTC), "doc3.txt"), "ann", filters
    )
    assert records_module.ID_PATTERN.fullmatch(record.id) and record.answer.record_id == record.id
    records.save(record)
    opened = Records(open_database()).get(record.id)
    assert opened == record
    assert opened.citations[0].content_hash == f"{1:064x}" and opened.citations[0].version
    assert opened.citations[2].content_hash is None and opened.citations[2].version is None
    assert json.loads(opened.model_dump_json())["answer"]["record_id"] == record.id
    assert "status" not in json.loads(opened.model_dump_json())["citations"][0]


def test_unknown_malformed_and_others_records_are_not_found(open_database: OpenDatabase):
    records = Records(open_database())
    record = new_record(_answer(), _meta(datetime.now(UTC)), "ann", None)
    records.save(record)
    assert records.get(record.id, asked_by="ann") == records.get(record.id)
    for asked, kwargs, says in [
        (record.id, {"asked_by": "bob"}, "no answer record has this id"),
        (records_module.new_id(), {}, "no answer record has this id"),
        ("../etc/passwd", {}, "not a record id"),
        ("x" * 500, {}, "not a record id"),
    ]:
        with pytest.raises(RecordNotFound, match=says) as caught:
            records.get(asked, **kwargs)
        assert caught.value.record_id == asked and asked[:80] in str(caught.value)
    with pytest.raises(RecordNotFound):
        records.delete(records_module.new_id())


def test_list_delete_prune_and_export(
    open_database: OpenDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(records_module, "EXPORT_PAGE", 2)  # several pages
    database = open_database()
    records = Records(database)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    saved: list[AnswerRecord] = []
    for day in range(5):
        record = new_record(
            _answer(f"q{day}"), _meta(start + timedelta(days=day)), "ann" if day % 2 else None, None
        )
        records.save(record)
        saved.append(record)
    assert [r.id for r in records.iter_all()] == [r.id for r in saved]
    assert [r.id for r in records.iter_all(asked_by="ann")] == [saved[1].id, saved[3].id]

    out = tmp_path / "records.jsonl"
    assert records.export(out) == 5
    lines = [AnswerRecord.model_validate_json(line) for line in out.read_text().splitlines()]
    assert lines == saved

    records.delete(saved[4].id)
    assert records.prune(datetime(2024, 1, 3, tzinfo=UTC)) == 2  # days 0 and 1
    assert [r.id for r in records.iter_all()] == [saved[2].id, saved[3].id]
    with database.transaction() as connection:  # citations went with their records
        left = connection.execute(select(func.count()).select_from(record_citations)).scalar()
    assert left == 2 * 2
