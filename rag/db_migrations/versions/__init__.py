"""Alembic revisions, oldest first (Alembic reads them as files, by their `revision` ids)."""
