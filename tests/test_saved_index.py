"""The writer's BM25 index saved in the database (rag/saved_index.py), on SQLite and PostgreSQL:
written in parts and committed by its manifest row, read back part by part, older parts gone,
and a fenced-out writer stopped before it writes anything."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import rag.saved_index
from rag.db import Database
from rag.saved_index import SavedIndexes
from rag.writer_lock import LeaseLost

pytest_plugins = ["tests.postgres"]  # the backend_url and open_database fixtures

OpenDatabase = Callable[..., Database]


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(rag.saved_index, "PART_BYTES", 4)
    return 4


def test_an_index_is_read_back_part_by_part(open_database: OpenDatabase, small_parts: int):
    saved = SavedIndexes(open_database())
    assert saved.manifest() is None and saved.parts("a") is None
    payload = bytes(range(10))
    saved.save("a", {"v1": "f1", "v2": "f2"}, payload, 2)
    assert saved.manifest() == ("a", {"v1": "f1", "v2": "f2"}, 2)
    parts = saved.parts("a")
    assert parts is not None
    assert [len(part) for part in parts] == [4, 4, 2]
    assert b"".join(saved.parts("a") or []) == payload


def test_a_new_index_replaces_the_old_one_and_its_parts(
    open_database: OpenDatabase, small_parts: int
):
    saved = SavedIndexes(open_database())
    saved.save("old", {"v1": "f1"}, b"0123456789", 2)
    reading = saved.parts("old")
    assert reading is not None and next(reading) == b"0123"
    another_server = SavedIndexes(open_database())
    another_server.save("new", {"v1": "f1", "v2": "f2"}, b"abcdef", 2)
    assert saved.manifest() == ("new", {"v1": "f1", "v2": "f2"}, 2)
    assert saved.parts("old") is None
    with pytest.raises(LookupError, match="old was replaced while it was read"):
        list(reading)
    assert b"".join(saved.parts("new") or []) == b"abcdef"


def test_a_fenced_writer_writes_nothing(open_database: OpenDatabase, small_parts: int):
    saved = SavedIndexes(open_database())
    saved.save("kept", {"v1": "f1"}, b"kept", 2)
    writes: list[str] = []

    def fenced() -> None:
        writes.append("checked")
        if len(writes) > 1:
            raise LeaseLost("a newer writer took over")

    saved.guard = fenced
    with pytest.raises(LeaseLost):
        saved.save("late", {"v2": "f2"}, b"12345678", 2)
    saved.guard = lambda: None
    assert saved.manifest() == ("kept", {"v1": "f1"}, 2)  # its first part went in, no more
    assert b"".join(saved.parts("kept") or []) == b"kept"
