"""The writer's BM25 index in the database (issue 14): Chroma slowed on its multi-megabyte
metadata values (rag/saved_index.py says how much), so the index of each corpus version moves
here, beside the writer lease: a manifest row per store and the index's bytes in parts.

Revision '0003', revises '0002'; written 2026-12-02 13:35:00.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bm25_indexes",
        sa.Column("store", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("covers", sa.Text(), nullable=False),
        sa.Column("parts", sa.Integer(), nullable=False),
        sa.Column("format", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("store", name=op.f("pk_bm25_indexes")),
    )
    op.create_table(
        "bm25_parts",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("bytes", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("name", "part", name=op.f("pk_bm25_parts")),
    )


def downgrade() -> None:
    op.drop_table("bm25_parts")
    op.drop_table("bm25_indexes")
