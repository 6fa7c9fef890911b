"""User state: answer records and their citations, conversations, feedback, the shared
answer cache, secrets and import marks.

Revision '0001', revises None; written 2026-12-02 04:01:45.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "answer_cache",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.Column("used_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_answer_cache")),
    )
    with op.batch_alter_table("answer_cache", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_answer_cache_used_at"), ["used_at"], unique=False)

    op.create_table(
        "answer_records",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("asked_by", sa.String(length=300), nullable=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("standalone_question", sa.Text(), nullable=True),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("engine", sa.String(length=32), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("answer_text", sa.Text(), nullable=False),
        sa.Column("abstained", sa.Boolean(), nullable=False),
        sa.Column("short_answer", sa.JSON(), nullable=True),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_records")),
    )
    with op.batch_alter_table("answer_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_answer_records_asked_by"), ["asked_by"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_answer_records_created_at"), ["created_at"], unique=False
        )

    op.create_table(
        "conversations",
        sa.Column("owner", sa.String(length=300), nullable=False),
        sa.Column("messages", sa.JSON(), nullable=False),
        sa.Column("turns", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("owner", name=op.f("pk_conversations")),
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("answer_id", sa.String(length=64), nullable=False),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rating", sa.String(length=8), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_answer_id"), ["answer_id"], unique=False)

    op.create_table(
        "imports",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_imports")),
    )
    op.create_table(
        "secrets",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_secrets")),
    )
    op.create_table(
        "record_citations",
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("version", sa.String(length=32), nullable=True),
        sa.Column("chunk_id", sa.Text(), nullable=False),
        sa.Column("start_char", sa.Integer(), nullable=False),
        sa.Column("end_char", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["answer_records.id"],
            name=op.f("fk_record_citations_record_id_answer_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("record_id", "n", name=op.f("pk_record_citations")),
    )
    with op.batch_alter_table("record_citations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_citations_source"), ["source"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("record_citations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_citations_source"))

    op.drop_table("record_citations")
    op.drop_table("secrets")
    op.drop_table("imports")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_answer_id"))

    op.drop_table("feedback")
    op.drop_table("conversations")
    with op.batch_alter_table("answer_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answer_records_created_at"))
        batch_op.drop_index(batch_op.f("ix_answer_records_asked_by"))

    op.drop_table("answer_records")
    with op.batch_alter_table("answer_cache", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answer_cache_used_at"))

    op.drop_table("answer_cache")
