"""Crash safety when the store is a Chroma server (FOOTNOTE_CHROMA_URL), with real processes:
an ingest killed with SIGKILL between any two of its writes, and the Chroma server itself
killed with SIGKILL while an ingest writes, leave a store that opens, answers and holds every
document in its old or its new version (tests/test_crash.py's invariant); what was committed
before the kill is still there after the server restarts, and the next ingest finishes."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from rag.assistant import Assistant
from rag.errors import Busy
from rag.settings import Settings
from tests.chroma_server import ChromaServer, chroma_command
from tests.ingest_runs import Ingests
from tests.test_crash import QUESTION, Scenario, _check, _finish, _version_one, _version_two

pytest_plugins = ["tests.ingest_runs"]  # the ingests fixture
LEASE_S = 2.0  # a killed writer keeps the store this long (FOOTNOTE_WRITER_LEASE_S)


def _env(server: ChromaServer) -> dict[str, object]:
    return {"FOOTNOTE_CHROMA_URL": server.url, "FOOTNOTE_WRITER_LEASE_S": LEASE_S}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, ingests: Ingests) -> Scenario:
    """Version one ingested into a Chroma server's folder (`seed/server`) by a process that
    exited cleanly, the server then stopped; `seed/data` is that ingest's data dir (its
    database holds the writer lease)."""
    command = chroma_command()
    if command is None:
        pytest.skip("the `chroma` command (from the chromadb package) is not installed")
    base = tmp_path_factory.mktemp("crash-server")
    docs, seed = base / "docs", base / "seed"
    _version_one(docs)
    before = {path.name: path.read_bytes() for path in docs.iterdir()}
    server = ChromaServer(command, seed / "server").start()
    try:
        assert ingests.start(seed / "data", docs, env=_env(server)).finish() == 0
    finally:
        server.stop()
    _version_two(docs)
    after = {path.name: path.read_bytes() for path in docs.iterdir()}
    versions = {name: [before.get(name), after.get(name)] for name in sorted({*before, *after})}
    return Scenario(docs, seed, versions)


def _fresh(seeded: Scenario, folder: Path) -> tuple[ChromaServer, Path]:
    """A copy of the seed: its own server (started) and data dir."""
    shutil.copytree(seeded.seed, folder)
    command = chroma_command()
    assert command is not None
    return ChromaServer(command, folder / "server").start(), folder / "data"


@pytest.mark.parametrize("point", ["after-chunks", "after-commit:3", "after-index"])
def test_an_ingest_killed_while_writing_to_a_server_leaves_old_or_new(
    seeded, ingests, corpus_assistant, tmp_path, point
):
    model = corpus_assistant.embed_model
    server, data_dir = _fresh(seeded, tmp_path / "store")
    try:
        run = ingests.start(data_dir, seeded.docs, point, _env(server))
        run.wait_for(f"footnote-test: paused at {point.split(':')[0]}")
        run.kill()
        state = _check(seeded, data_dir, model, url=server.url)
        if point != "after-chunks":  # committed before the kill: still there
            assert 2 in state.values(), state
        time.sleep(LEASE_S)  # the dead writer's lease runs out
        _finish(seeded, data_dir, model, url=server.url)
    finally:
        server.stop()


@pytest.mark.parametrize("point", ["after-chunks", "after-commit:3"])
def test_the_chroma_server_killed_mid_ingest_loses_nothing_committed(
    seeded, ingests, corpus_assistant, tmp_path, point
):
    """The server dies under a writer: the writer stops with an error instead of committing
    half a version, and once the server is back every committed version is there."""
    model = corpus_assistant.embed_model
    server, data_dir = _fresh(seeded, tmp_path / "store")
    try:
        run = ingests.start(data_dir, seeded.docs, point, _env(server))
        run.wait_for(f"footnote-test: paused at {point.split(':')[0]}")
        committed = _check(seeded, data_dir, model, url=server.url)
        server.kill()
        run.resume()
        assert run.finish() != 0
        said = [line for line in run.log.read_text().splitlines() if "footnote: error:" in line]
        assert said == [
            f"footnote: error: lost the Chroma server at {server.url} ([Errno 111] Connection "
            "refused); what was committed before is kept: try again once it is back"
        ], run.log.read_text()[-2000:]
        server.start()  # the same folder and port
        after = _check(seeded, data_dir, model, url=server.url)
        assert after == committed, "a version committed before the kill was lost or undone"
        time.sleep(LEASE_S)
        _finish(seeded, data_dir, model, url=server.url)
    finally:
        server.stop()


def test_a_question_while_the_chroma_server_is_down_is_one_clear_503(
    seeded, corpus_assistant, tmp_path
):
    server, data_dir = _fresh(seeded, tmp_path / "store")
    try:
        settings = Settings(data_dir=data_dir, chroma_url=server.url)
        assistant = Assistant(settings, embed_model=corpus_assistant.embed_model)
        assert assistant.ask(QUESTION).citations
        server.kill()
        with pytest.raises(Busy, match=f"lost the Chroma server at {server.url}"):
            assistant.ask("How much was the Pentagon deal worth?")
        server.start()
        assert assistant.ask("How much was the Pentagon deal worth?").citations  # no restart
    finally:
        server.stop()
