"""Write the next revision: `python -m rag.db_migrations "what changed"` compares
rag/db_schema.py with a scratch SQLite database at the newest revision and writes the
difference as versions/NNNN_<slug>.py (read it, and check it on PostgreSQL too, before
committing it)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from rag.db import Database, _config, _scripts


def main() -> None:
    if len(sys.argv) != 2 or not sys.argv[1].strip():
        sys.exit('usage: python -m rag.db_migrations "what changed"')
    with tempfile.TemporaryDirectory() as scratch:
        database = Database(f"sqlite:///{Path(scratch) / 'scratch.db'}")
        database.ready()
        config = _config()
        config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
        number = f"{len(list(_scripts().walk_revisions())) + 1:04d}"
        with database.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.revision(config, sys.argv[1].strip(), autogenerate=True, rev_id=number)
        database.dispose()


if __name__ == "__main__":
    main()
