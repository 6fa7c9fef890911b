"""The database itself, on SQLite and PostgreSQL: its schema is Alembic's newest revision
and matches rag/db_schema.py; the files of the version before it are imported on first start
with nothing lost, once, even when servers start together; a first start killed with SIGKILL
leaves nothing behind and the next one completes it; a database that is down or read-only is
a clear error, and an answer it cannot save is still given, saying so."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select

from rag.db import Database, DatabaseUnavailable, parse_url
from rag.db_cache import SharedAnswerCache
from rag.db_schema import feedback, imports, metadata
from rag.db_state import DatabaseConversations, DatabaseFeedback
from rag.errors import FootnoteError
from rag.export import ExportMeta
from rag.feedback import feedback_path
from rag.records import Records, save_answer
from rag.types import Answer, Citation
from tests import legacy_files as legacy
from tests.conftest import ROOT

if TYPE_CHECKING:
    from tests.postgres import Cluster

pytest_plugins = ["tests.postgres"]  # the backend_url and open_database fixtures
OpenDatabase = Callable[..., Database]
OWNERS = ["user:ann", "user:bob", "browser:" + "c" * 32]


def _answer(question: str) -> Answer:
    cited = Citation(
        n=1, source="a.txt", title="A", chunk_id="v-0", start_char=0, end_char=5, quote="Hello"
    )
    return Answer(question=question, answer="Hello [1].", abstained=False, citations=[cited])


def _file_state(data_dir: Path) -> Path:
    """A data dir as the file-backed version left it, written by its own code: three
    conversations, feedback events (two on one answer), the browser-id key, and damage a
    crash or a person can leave (a conversation file that is no JSON, a cut-short line)."""
    files = legacy.Conversations(data_dir)
    for number, owner in enumerate(OWNERS):
        messages = [{"role": "user", "content": f"question {number} ü"}]
        turns = [{"id": f"t{number}", "message": 1, "answer": {"question": "q"}, "rating": "up"}]
        files.save(owner, messages, turns)
    files.secret()
    (files.folder / "broken.json").write_text("{not json", encoding="utf-8")
    asked = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    legacy.record_feedback(data_dir, "a1", _answer("one?"), "down", "wrong", asked)
    legacy.record_feedback(data_dir, "a2", _answer("two?"), "up", "", asked)
    legacy.record_feedback(data_dir, "a1", _answer("one?"), "down", "wrong, and late", asked)
    with feedback_path(data_dir).open("a", encoding="utf-8") as handle:
        handle.write('{"answer_id": "a3", "ti')  # a line cut short by a crash
    return data_dir


def _assert_imported(database: Database, data_dir: Path) -> None:
    """Everything the files held is in the database, once, and the files are untouched."""
    files, stored = legacy.Conversations(data_dir), DatabaseConversations(database)
    for owner in OWNERS:
        assert stored.load(owner) == files.load(owner) != ([], [])
    assert stored.secret() == files.secret()
    assert DatabaseFeedback(database).load() == legacy.load_feedback(data_dir)
    with database.transaction() as connection:
        events = connection.execute(select(func.count()).select_from(feedback)).scalar()
    assert events == 3
    assert (data_dir / "conversations" / "broken.json").exists()


def test_schema_is_the_newest_revision_and_matches_the_tables(open_database: OpenDatabase):
    database = open_database()
    assert database.revision() is None
    database.ready()
    assert database.revision() == "0004"  # the newest: the store catalogue
    with database.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []


def test_first_start_imports_the_files_once(open_database: OpenDatabase, tmp_path: Path):
    data_dir = _file_state(tmp_path / "data")
    database = open_database(data_dir)
    database.ready()
    _assert_imported(database, data_dir)
    with database.transaction() as connection:
        marks = {row.name.split()[0]: row for row in connection.execute(select(imports))}
    assert marks["conversations"].items == 3 and marks["conversations"].skipped == 1
    assert marks["feedback"].items == 3 and marks["feedback"].skipped == 1

    # A conversation continued since is newer than its file: importing again (the marks
    # deleted, as after moving the data dir) keeps it and adds no feedback twice.
    later = [{"role": "user", "content": "a later question"}]
    DatabaseConversations(database).save(OWNERS[0], later, [])
    with database.transaction() as connection:
        connection.execute(imports.delete())
    again = open_database(data_dir)
    again.ready()
    assert DatabaseConversations(again).load(OWNERS[0]) == (later, [])
    assert DatabaseFeedback(again).load() == legacy.load_feedback(data_dir)


def test_servers_starting_together_migrate_and_import_once(
    open_database: OpenDatabase, tmp_path: Path
):
    data_dir = _file_state(tmp_path / "data")
    servers = [open_database(data_dir) for _ in range(3)]
    failures: list[BaseException] = []

    def start(database: Database) -> None:
        try:
            database.ready()
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=start, args=(server,)) for server in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures
    _assert_imported(servers[0], data_dir)


def _start_and_kill(url: str, data_dir: Path, point: str, log: Path) -> None:
    """Start a process that opens the database, let it reach `point` (inside the migration's
    transaction), and kill it with SIGKILL there."""
    script = (
        "import sys\nfrom pathlib import Path\nfrom rag.checkpoints import listening\n"
        "from rag.db import Database\nfrom tests.crash_worker import Pause\n"
        "with listening(Pause(sys.argv[3])):\n"
        "    Database(sys.argv[1], Path(sys.argv[2])).ready()\n"
    )
    with log.open("w") as errors:
        process = subprocess.Popen(
            [sys.executable, "-c", script, url, str(data_dir), point], cwd=ROOT, stderr=errors
        )
    try:
        deadline = time.monotonic() + 60
        while f"paused at {point}" not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the migration never reached " + point
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)


@pytest.mark.parametrize("point", ["db-migrated", "db-imported"])
def test_first_start_killed_leaves_nothing_and_the_next_completes_it(
    open_database: OpenDatabase, tmp_path: Path, point: str
):
    data_dir = _file_state(tmp_path / "data")
    url = open_database().url.render_as_string(hide_password=False)
    _start_and_kill(url, data_dir, point, tmp_path / "killed.log")
    looked = open_database()  # without a data dir: only looks
    assert looked.revision() is None
    with looked.engine.connect() as connection:
        assert inspect(connection).get_table_names() == []  # the schema rolled back too
    database = open_database(data_dir)
    database.ready()
    assert database.revision() == "0004"
    _assert_imported(database, data_dir)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u:p@db/footnote", "postgresql+psycopg"),
        ("postgres://u:p@db/footnote", "postgresql+psycopg"),
        ("postgresql+psycopg://u:p@db/footnote", "postgresql+psycopg"),
        ("sqlite:////var/lib/footnote.db", "sqlite"),
    ],
)
def test_database_urls_we_take(url: str, expected: str):
    assert parse_url(url).drivername == expected


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mysql://u:hunter2@db/footnote", "'mysql' databases are not supported"),
        ("postgresql+psycopg2://u:hunter2@db/x", "'postgresql+psycopg2' databases are not"),
        ("hunter2 is no url", "FOOTNOTE_DATABASE_URL is not a database URL"),
    ],
)
def test_database_urls_we_refuse_say_why_without_the_password(url: str, says: str):
    with pytest.raises(FootnoteError, match=re.escape(says)) as caught:
        parse_url(url)
    assert "hunter2" not in str(caught.value) and "postgresql://" in str(caught.value)


def test_a_database_that_is_down_is_a_clear_error():
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    database = Database(f"postgresql://footnote:hunter2@127.0.0.1:{port}/footnote")
    with pytest.raises(DatabaseUnavailable, match=f"127.0.0.1:{port}/footnote cannot be") as caught:
        Records(database).get("A" * 24)
    assert "hunter2" not in str(caught.value) and "\n" not in str(caught.value)
    database.dispose()


def _read_only(url: str, backend: str, cluster: Cluster | None) -> str:
    """The URL of the same database, now refusing writes."""
    if backend == "sqlite":
        return url.replace("sqlite:///", "sqlite:///file:", 1) + "?mode=ro&uri=true"
    assert cluster is not None
    name = url.rsplit("/", 1)[1]
    cluster.sql(f"ALTER DATABASE {name} SET default_transaction_read_only = on")
    return url


def test_a_read_only_database_answers_but_says_it_did_not_save(
    open_database: OpenDatabase, request: pytest.FixtureRequest
):
    writable = open_database()
    writable.ready()
    url = writable.url.render_as_string(hide_password=False)
    backend = writable.url.get_backend_name()
    cluster = request.getfixturevalue("postgres") if backend == "postgresql" else None
    database = open_database(url=_read_only(url, backend, cluster))
    meta = ExportMeta(
        asked_at=datetime.now(UTC), engine="extractive", settings={}, document_hashes={}
    )

    given = save_answer(Records(database), _answer("q?"), meta, "ann")
    assert given.record_id is None
    assert given.notice and given.notice.startswith("This answer was not saved (the database")
    assert "read" in given.notice  # "readonly database" / "read-only transaction"
    with pytest.raises(DatabaseUnavailable, match="cannot be used"):
        DatabaseConversations(database).save("user:ann", [{"role": "user"}], [])
    cache = SharedAnswerCache(database)
    cache.put("k", _answer("q?"))  # not kept, and not an error
    assert cache.get("k") is None
