"""Alembic's entry point: runs the revisions on the connection rag.db hands over, inside the
transaction rag.db holds (so a killed migration leaves nothing behind)."""

from alembic import context

from rag.db_schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters a table by rebuilding it
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
