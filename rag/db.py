"""User state (answer records, conversations, feedback, the shared answer cache) lives in one
SQL database, so any chat server can serve any user: SQLite in the data dir by default,
PostgreSQL when FOOTNOTE_DATABASE_URL names one. On first use the schema is brought to the
newest Alembic revision (rag/db_migrations) and the files the file-backed version kept are
imported, in one transaction: a process killed meanwhile leaves the database as it was, and
the next start does it all again."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Table, create_engine, event, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    InterfaceError,
    InternalError,
    OperationalError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout

from rag.checkpoints import checkpoint
from rag.db_import import import_files, imports_done
from rag.errors import FootnoteError
from rag.settings import Settings

log = logging.getLogger(__name__)

DATABASE_FILE = "footnote.db"  # in the data dir, when FOOTNOTE_DATABASE_URL is not set
MIGRATIONS = "rag:db_migrations"
MIGRATION_LOCK = 0x466F6F74  # PostgreSQL advisory lock: one process migrates at a time
SQLITE_BUSY_S = 15.0  # a SQLite writer waits this long for another one to finish
CONNECT_TIMEOUT_S = 5  # PostgreSQL: give up connecting after this long
_BEGIN = "footnote_begin"  # execution option: the statement a SQLite transaction begins with
_URL_HELP = "use postgresql://user:password@host:5432/name or sqlite:////path/to/footnote.db"
# What the database itself failing looks like (down, read-only, disk full, pool exhausted);
# IntegrityError and the like are bugs, not outages, and are not translated.
_UNAVAILABLE = (OperationalError, InternalError, InterfaceError, PoolTimeout)


class DatabaseUnavailable(FootnoteError):
    """The database cannot be reached, read or written now (down, read-only, full...)."""

    status = 503
    retry_after = 5


def parse_url(raw: str) -> URL:
    """A database URL we can use: PostgreSQL (through psycopg 3) or SQLite; an error naming
    the setting and the accepted forms otherwise (the URL is not repeated: it may hold a
    password)."""
    try:
        url = make_url(raw.strip())
    except ArgumentError:
        raise FootnoteError(f"FOOTNOTE_DATABASE_URL is not a database URL: {_URL_HELP}") from None
    backend, _, driver = url.drivername.partition("+")
    if backend in ("postgres", "postgresql") and driver in ("", "psycopg"):
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        return url
    raise FootnoteError(
        f"FOOTNOTE_DATABASE_URL: {url.drivername!r} databases are not supported: {_URL_HELP}"
    )


def database_url(settings: Settings) -> URL:
    """FOOTNOTE_DATABASE_URL, else SQLite in `<data dir>/footnote.db`."""
    if settings.database_url:
        return parse_url(settings.database_url)
    return URL.create("sqlite", database=str(settings.data_dir.resolve() / DATABASE_FILE))


class Database:
    """One database: a connection pool, and the schema made current (and the files of the
    version before the database imported from `data_dir`) once, on first use."""

    def __init__(self, url: URL | str, data_dir: Path | None = None) -> None:
        self.url = parse_url(url) if isinstance(url, str) else url
        self.data_dir = data_dir
        self.engine = _engine(self.url)
        self._ready = False
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        return cls(database_url(settings), settings.data_dir)

    @property
    def location(self) -> str:
        """The URL without its password, for messages and `status`."""
        return self.url.render_as_string(hide_password=True)

    def ready(self) -> None:
        """Bring the schema to the newest revision and import the data dir's files, unless
        that is done; DatabaseUnavailable if the database cannot be used now (asked again
        next time, so a server outlives a database that comes back)."""
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            with self.failures("prepared"):
                with self.engine.connect() as connection:
                    current = self._current(connection)
                if not current:
                    self._migrate()
            self._ready = True

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A connection inside a transaction, committed at the end and rolled back on an
        exception; the database failing raises DatabaseUnavailable."""
        self.ready()
        with self.failures("used"), self.engine.begin() as connection:
            yield connection

    @contextmanager
    def failures(self, doing: str) -> Iterator[None]:
        """Turn the database failing into DatabaseUnavailable naming it and the reason."""
        try:
            yield
        except _UNAVAILABLE as error:
            reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
            raise DatabaseUnavailable(
                f"the database at {self.location} cannot be {doing}: {reason}"
            ) from error

    def revision(self) -> str | None:
        """The schema revision the database is at (None before the first migration)."""
        with self.failures("read"), self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def dispose(self) -> None:
        """Close the pooled connections (tests, and processes that are done with it)."""
        self.engine.dispose()

    def _current(self, connection: Connection) -> bool:
        heads = set(MigrationContext.configure(connection).get_current_heads())
        if heads != set(_scripts().get_heads()):
            return False
        return self.data_dir is None or imports_done(connection, self.data_dir)

    def _migrate(self) -> None:
        """Upgrade and import in one transaction, holding the migration lock: SQLite's write
        lock from the start (BEGIN IMMEDIATE), PostgreSQL's advisory lock."""
        with self.engine.connect() as connection:
            connection.execution_options(**{_BEGIN: "BEGIN IMMEDIATE"})
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
                    )
                before = MigrationContext.configure(connection).get_current_revision()
                config = _config()
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                checkpoint("db-migrated")
                if self.data_dir is not None:
                    import_files(connection, self.data_dir)
                checkpoint("db-imported")
        after = self.revision()
        if after != before:
            log.info("database %s migrated from %s to %s", self.location, before, after)


@cache
def database_at(url: str) -> Database:
    """One Database (and connection pool) per URL in this process, for the store's own uses
    (the writer lease, the saved BM25 index)."""
    return Database(url)


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return config


def _engine(url: URL) -> Engine:
    if url.get_backend_name() != "sqlite":
        return create_engine(
            url, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_S}
        )
    if url.database and url.database != ":memory:" and not url.query.get("uri"):
        folder = Path(url.database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise FootnoteError(
                f"cannot create {folder} for the database: {error.strerror}"
            ) from error
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_S})
    event.listen(engine, "connect", _sqlite_connected)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connected(connection: Any, _record: Any) -> None:
    """Let SQLAlchemy, not the sqlite3 module, begin transactions (so DDL is transactional
    too: a killed migration rolls back), enforce foreign keys, and use the write-ahead log
    (readers never wait for a writer)."""
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except Exception:  # a read-only database keeps its journal mode
        log.debug("cannot switch %s to WAL", connection)
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql(connection.get_execution_options().get(_BEGIN, "BEGIN"))


def upsert(
    connection: Connection,
    table: Table,
    values: Mapping[str, Any],
    keys: Sequence[str],
    update: Sequence[str] = (),
) -> None:
    """Insert a row; when its key is taken, overwrite the `update` columns (none: keep the
    row there)."""
    insert = sqlite_insert if connection.dialect.name == "sqlite" else postgresql_insert
    statement = insert(table).values(**values)
    if update:
        changes = {name: statement.excluded[name] for name in update}
        connection.execute(statement.on_conflict_do_update(index_elements=keys, set_=changes))
    else:
        connection.execute(statement.on_conflict_do_nothing(index_elements=keys))
