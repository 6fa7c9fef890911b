"""The committed documents' records saved per store generation (rag/store.py
`_save_catalogue`, rag/store_reader.py `committed`): a reader that starts loads them from the
database instead of listing every record from Chroma (8.5 s at 50k documents on a server),
only when they are exactly the current generation's, and lists them when they are not or the
database cannot be read."""

from __future__ import annotations

import pytest

from rag.db import DatabaseUnavailable
from rag.store import Store
from tests.test_store import (  # noqa: F401  (the backend and store fixtures)
    BEAVERS,
    OTTERS,
    _version,
    backend,
    store,
)

pytest_plugins = ["tests.chroma_server"]


def _reader(store: Store) -> Store:  # noqa: F811
    """Another process's view of the same store and database."""
    return Store(store.path, url=store.url)


def _never_listed(monkeypatch: pytest.MonkeyPatch, reader: Store) -> None:
    def listed() -> None:
        raise AssertionError("listed from Chroma")

    monkeypatch.setattr(reader, "list_documents", listed)


def test_a_new_reader_loads_the_writers_catalogue(store, monkeypatch):  # noqa: F811
    with store.writing():
        store.put_versions([_version("otters.txt", OTTERS), _version("beavers.txt", BEAVERS)])
    listed = {key: info for key, info in store.committed().items()}
    reader = _reader(store)
    _never_listed(monkeypatch, reader)
    assert reader.committed() == listed and sorted(reader.committed()) == sorted(listed)


def test_a_catalogue_of_another_generation_is_not_trusted(store, monkeypatch):  # noqa: F811
    """A writer killed after it marked the store clean but before it saved the catalogue
    leaves the previous generation's: a reader lists the records then."""
    with store.writing():
        store.put_versions([_version("otters.txt", OTTERS)])
    monkeypatch.setattr(Store, "_save_catalogue", lambda self, committed: None)
    with store.writing():
        store.put_versions([_version("beavers.txt", BEAVERS)])
    monkeypatch.undo()
    reader = _reader(store)
    assert {info.source for info in reader.committed().values()} == {"otters.txt", "beavers.txt"}


def test_a_database_that_cannot_be_read_means_listing(store, monkeypatch):  # noqa: F811
    with store.writing():
        store.put_versions([_version("otters.txt", OTTERS)])
    reader = _reader(store)

    def down(*_: object) -> None:
        raise DatabaseUnavailable("the database at sqlite:///x cannot be used: disk I/O error")

    monkeypatch.setattr(reader.indexes, "catalogue", down)
    assert [info.source for info in reader.committed().values()] == ["otters.txt"]


def test_a_writer_whose_database_fails_still_commits(store, monkeypatch):  # noqa: F811
    def down(*_: object) -> None:
        raise DatabaseUnavailable("the database at sqlite:///x cannot be used: disk I/O error")

    monkeypatch.setattr(store.indexes, "save_catalogue", down)
    with store.writing():
        store.put_versions([_version("otters.txt", OTTERS)])
    monkeypatch.undo()
    assert [info.source for info in _reader(store).committed().values()] == ["otters.txt"]
