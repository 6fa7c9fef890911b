"""The database's tables, as SQLAlchemy Core metadata: Alembic compares its revisions in
rag/db_migrations against these, and the repositories query them. docs/records.md describes
each table."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

# Constraint names are spelled out so that later revisions (and SQLite's batch mode, which
# rebuilds tables) can name what they change.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

OWNER_MAX = 300  # "user:<name>" or "browser:<32 hex>"
RECORD_ID_MAX = 64
HASH_MAX = 64  # sha256 hex

answer_records = Table(
    "answer_records",
    metadata,
    Column("id", String(RECORD_ID_MAX), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    Column("asked_by", String(OWNER_MAX), nullable=True, index=True),
    Column("question", Text, nullable=False),
    Column("standalone_question", Text, nullable=True),
    Column("filters", JSON, nullable=False),
    Column("engine", String(32), nullable=False),
    Column("settings", JSON, nullable=False),
    Column("answer_text", Text, nullable=False),
    Column("abstained", Boolean, nullable=False),
    Column("short_answer", JSON, nullable=True),
    Column("answer", JSON, nullable=False),  # the whole Answer as it was given
)

record_citations = Table(
    "record_citations",
    metadata,
    Column(
        "record_id",
        String(RECORD_ID_MAX),
        ForeignKey("answer_records.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("n", Integer, primary_key=True),
    Column("source", Text, nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("content_hash", String(HASH_MAX), nullable=True),
    Column("version", String(32), nullable=True),
    Column("chunk_id", Text, nullable=False),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
    Column("page", Integer, nullable=True),
    Column("quote", Text, nullable=False),
)

conversations = Table(
    "conversations",
    metadata,
    Column("owner", String(OWNER_MAX), primary_key=True),
    Column("messages", JSON, nullable=False),
    Column("turns", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("answer_id", String(64), nullable=False, index=True),
    Column("time", DateTime(timezone=True), nullable=False),
    Column("rating", String(8), nullable=True),
    Column("comment", Text, nullable=False),
    Column("asked_at", DateTime(timezone=True), nullable=True),
    Column("answer", JSON, nullable=False),
)

answer_cache = Table(
    "answer_cache",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("answer", JSON, nullable=False),
    Column("used_at", Float, nullable=False, index=True),  # epoch seconds: the LRU order
)

secrets = Table(
    "secrets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

imports = Table(
    "imports",
    metadata,
    Column("name", Text, primary_key=True),  # kind, host and path of what was imported
    Column("items", Integer, nullable=False),
    Column("skipped", Integer, nullable=False),
    Column("done_at", DateTime(timezone=True), nullable=False),
)

bm25_indexes = Table(  # the writer's saved BM25 index, one row per store (rag/saved_index.py)
    "bm25_indexes",
    metadata,
    Column("store", String(64), primary_key=True),
    Column("name", String(64), nullable=False),  # the index: a hash of its bytes
    Column("covers", Text, nullable=False),  # JSON: version -> fingerprint it was built over
    Column("parts", Integer, nullable=False),
    Column("format", Integer, nullable=False),
)

catalogues = Table(  # the committed documents' records of a store generation (rag/store.py)
    "catalogues",
    metadata,
    Column("store", String(64), primary_key=True),
    Column("collection", String(64), nullable=False),  # the store's documents collection id
    Column("generation", BigInteger, nullable=False),  # the marks' generation they are of
    Column("documents", LargeBinary, nullable=False),  # zlib-compressed JSON records
)

bm25_parts = Table(  # an index's bytes, in parts
    "bm25_parts",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("part", Integer, primary_key=True),
    Column("bytes", LargeBinary, nullable=False),
)

leases = Table(  # the store's writer lease (rag/writer_lease.py)
    "leases",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("holder", String(OWNER_MAX), nullable=True),  # "pid N on HOST", null when free
    Column("token", BigInteger, nullable=False),  # fencing token: only ever grows
    Column("expires_at", Float, nullable=False),  # epoch seconds by the database's clock
)


def utc(moment: datetime) -> datetime:
    """A time as UTC, as it is stored and read back (SQLite keeps no zone: every time in the
    database is UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
