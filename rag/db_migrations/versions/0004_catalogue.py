"""The committed documents' records per store generation (issue 14): every reader listed them
from Chroma when it started (8.5 s for 50k documents on a Chroma server, in each of a chat
server's processes), so the writer saves the list it leaves here and readers load it.

Revision '0004', revises '0003'; written 2026-12-02 16:10:00.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalogues",
        sa.Column("store", sa.String(length=64), nullable=False),
        sa.Column("collection", sa.String(length=64), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.Column("documents", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("store", name=op.f("pk_catalogues")),
    )


def downgrade() -> None:
    op.drop_table("catalogues")
