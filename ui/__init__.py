"""What people touch: the `footnote` command and the web chat (calls rag and ingest only)."""
