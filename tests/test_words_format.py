"""The BM25 words a store keeps are split as the store's mark says: when the splitter changes
(rag/lexical.py WORDS_FORMAT), a store written before is rewritten by its next ingest, and its
saved index rebuilt from the new words, so questions split the new way find them."""

from __future__ import annotations

import hashlib
import json
import shutil

from ingest.sync import ingest
from rag.assistant import Assistant
from rag.corpus_index import load_corpus_index
from rag.lexical import WORDS_FORMAT, chunk_words
from rag.settings import Settings
from rag.store import Store
from rag.text import terms
from tests.conftest import CORPUS

# What `terms` makes of SAMPLE under each words format: a change of splitter fails here until
# WORDS_FORMAT is bumped (and its digest pinned), so stores written before get rewritten.
PINNED = {2: "266e9959e6891a31", 3: "c72640737675a8c9", 4: "8da1116d02604e27"}
SAMPLE = (
    "ConductAtlas's run-in with the U.S. Department of Defense: Anthropic's $200-million deal, "
    "signed 2026-03-01 by a naïve co-founder (e-mail: CEO@example.com); Hegseth's agencies "
    "were told 'phase-out within six months'. Didn't they?"
)


def test_the_splitter_is_the_one_its_words_format_names():
    digest = hashlib.sha256(json.dumps(terms(SAMPLE)).encode()).hexdigest()[:16]
    assert PINNED.get(WORDS_FORMAT) == digest, (
        f"terms() splits differently now ({digest}): bump WORDS_FORMAT in rag/lexical.py and "
        "pin the new digest here"
    )


def _as_split_by_an_older_footnote(store: Store) -> None:
    """Make the store look as an older splitter left it: other words, its index built from
    them, and the words mark of format 1."""
    with store.writing():
        chunks = list(store.iter_chunks())
        store.derived.derived.update(
            ids=[chunk.chunk_id for chunk in chunks],
            metadatas=[{"words": "older_" + chunk.chunk_id[-6:]} for chunk in chunks],
        )
        store._index_stale = True
        store.words_format = 1


def test_words_split_by_an_older_footnote_are_rewritten_by_the_next_ingest(
    corpus_assistant, tmp_path
):
    data = tmp_path / "data"
    shutil.copytree(corpus_assistant.store.path.parent, data)
    _as_split_by_an_older_footnote(Store(data / "chroma", url=""))
    old = Assistant(Settings(data_dir=data), embed_model=corpus_assistant.embed_model)
    assert old.store.words_format == 1
    stale = load_corpus_index(old.store, old.store.committed())
    assert stale is not None and stale.index.search("Pentagon contract", 5) == []

    report = ingest([CORPUS], old.store, corpus_assistant.embed_model, old.settings)
    assert report.chunks_embedded == 0 and len(report.unchanged) == 5 and not report.failed
    fresh = Assistant(Settings(data_dir=data), embed_model=corpus_assistant.embed_model)
    assert fresh.store.words_format == WORDS_FORMAT
    chunks = {chunk.chunk_id: chunk for chunk in fresh.store.iter_chunks()}
    stored = fresh.store.derived.chunk_words(sorted(fresh.store.committed()))
    assert {row.chunk_id: row.words for rows in stored.values() for row in rows} == {
        chunk_id: chunk_words(chunk) for chunk_id, chunk in chunks.items()
    }
    index = load_corpus_index(fresh.store, fresh.store.committed())
    assert index is not None and index.index.search("Pentagon contract", 5)
    assert not fresh.ask("How much is Anthropic's Pentagon contract worth?").abstained
