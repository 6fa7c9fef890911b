"""What sharing BM25 through the store costs and saves, on an ingested store: the writer's build
of the corpus index from the words stored per chunk, its size, and a reader's start: copying
the writer's index from the store and mapping it (a new machine), mapping the copy already in
its data dir (a restart), against building it from the stored words (what a reader does while
a writer's commits are not in the saved index) and tokenising every chunk (what every reader
did on a Chroma server before the words were stored). Prints the results and writes
bench/results/bm25-store.json.

Run: .venv/bin/python -m bench.bm25_store [--store DATA_DIR] [--documents N]
(without --store, the first N COVID-QA documents are ingested into a temporary store first)
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import delete

import rag  # noqa: F401  (offline environment first)
from bench.report import machine, write
from ingest.sync import ingest
from rag.assistant import Assistant
from rag.bm25 import LexicalIndex
from rag.corpus_index import (
    INDEX_DIR,
    build_corpus_index,
    load_corpus_index,
    save_corpus_index,
)
from rag.db_schema import bm25_indexes
from rag.settings import Settings
from rag.store import Store

ROOT = Path(__file__).resolve().parent.parent
COVIDQA = ROOT / "bench" / "data" / "covidqa" / "corpus"
OUT = ROOT / "bench" / "results" / "bm25-store.json"


def _timed(step: Callable[[], Any]) -> tuple[Any, dict[str, float]]:
    wall, cpu = time.perf_counter(), time.process_time()
    found = step()
    took = {
        "wall_s": round(time.perf_counter() - wall, 3),
        "cpu_s": round(time.process_time() - cpu, 3),
    }
    return found, took


def measure(data_dir: Path) -> dict[str, Any]:
    store = Store(data_dir / "chroma", url="")
    committed = store.committed()
    results: dict[str, Any] = {
        "documents": len(committed),
        "chunks": store.count_chunks(),
    }
    built, results["build_from_stored_words"] = _timed(lambda: build_corpus_index(store, committed))
    _, results["tokenise_every_chunk"] = _timed(lambda: LexicalIndex(list(store.iter_chunks())))
    manifest = store.indexes.manifest()
    if manifest is None:  # a store written without one: the writer's step, timed
        with store.writing():
            pass
    else:
        _, results["writer_save"] = _timed(lambda: _resave(store))
    name = store.indexes.manifest()[0]  # type: ignore[index]
    copies = data_dir / INDEX_DIR
    results["index_bytes"] = (copies / f"{name}.bin").stat().st_size
    shutil.rmtree(copies)
    loaded, results["reader_copy_and_map"] = _timed(lambda: load_corpus_index(store, committed))
    assert loaded is not None
    for name, values in built.chunks.table.arrays().items():
        assert np.array_equal(getattr(loaded.chunks.table, name), values), name
    _, results["reader_map_local_copy"] = _timed(lambda: load_corpus_index(store, committed))
    question = "What is the incubation period of the virus?"
    assert loaded.index.search(question, 10) == built.index.search(question, 10)
    return results


def _resave(store: Store) -> None:
    """The writer's last step on this store, forced (its saved index set aside first)."""
    with store.indexes.database.transaction() as connection:
        connection.execute(delete(bm25_indexes))
    save_corpus_index(store)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="an ingested data dir (left as it was)")
    parser.add_argument("--documents", type=int, default=98)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    results = machine()
    with tempfile.TemporaryDirectory(prefix="footnote-bm25-") as temporary:
        data_dir = Path(temporary) / "data"
        if args.store:
            shutil.copytree(args.store, data_dir)
        else:
            corpus = Path(temporary) / "corpus"
            corpus.mkdir()
            for path in sorted(COVIDQA.iterdir())[: args.documents]:
                shutil.copyfile(path, corpus / path.name)
            settings = Settings(data_dir=data_dir)
            assistant = Assistant(settings)
            ingest([corpus], assistant.store, assistant.embed_model, settings)
        results.update(measure(data_dir))
    write(results, args.out)


if __name__ == "__main__":
    main()
