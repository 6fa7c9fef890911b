"""Answering on every core: a few worker processes, each with an Assistant of its own over the
same store, answer one question at a time each. Threads would not do: most of an answer is the
extractive engine's Python (scoring sentences), which holds the GIL, so a second thread in one
process waits for the first. The server process keeps the answer cache (in memory or in the
database): a worker asks it for a cached answer and hands it each new one over its pipe, so the
cache and its counts are the server's as before. A worker that dies (even SIGKILL) costs only
the question it was answering, which is told to retry (Busy); another process takes its place.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import pickle
import queue
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from rag.assistant import AskOptions, Assistant
from rag.cache import AnswerCache, Cache, CacheStats
from rag.errors import Busy, FootnoteError
from rag.retrieve import NoMatch
from rag.settings import Settings
from rag.types import Answer

log = logging.getLogger(__name__)

MAX_AUTO_WORKERS = 4  # FOOTNOTE_ANSWER_WORKERS unset: one per core and one more, at most this many
START_TIMEOUT_S = 300.0  # a worker loads the model and warms up within this, or start fails
DIED = "an answer process stopped while answering this question; retry it"
WARM_UP_QUESTION = "warm up"


def worker_count(settings: Settings) -> int:
    """FOOTNOTE_ANSWER_WORKERS, else one per core and one more, since a worker whose answer is
    on its way out through the pipe and HTTP leaves its core idle (2 cores: 16 clients got
    1.66x one client's answers/s with 2 workers, 1.82x with 3; docs/benchmarks.md), at most
    MAX_AUTO_WORKERS; 0: none."""
    if settings.answer_workers is not None:
        return settings.answer_workers
    return min((os.cpu_count() or 1) + 1, MAX_AUTO_WORKERS)


class _RelayCache:
    """A worker's side of the server's cache: each get and put is a message on its pipe."""

    key = staticmethod(AnswerCache.key)

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, key: str) -> Answer | None:
        self.connection.send(("cache-get", key))
        found: Answer | None = self.connection.recv()
        return found

    def put(self, key: str, answer: Answer) -> None:
        self.connection.send(("cache-put", key, answer))

    def stats(self) -> CacheStats:
        return CacheStats()


def _portable(error: BaseException) -> tuple[str, Any]:
    """An error as the server re-raises it: itself when it survives pickling, else its kind
    and message (NoMatch keeps its fields; anything not ours is an internal error)."""
    if isinstance(error, NoMatch):
        return "no-match", (str(error), error.fields)
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        kind = FootnoteError if isinstance(error, FootnoteError) else RuntimeError
        return "error", kind(str(error))
    if not isinstance(error, FootnoteError):
        return "error", RuntimeError(f"{type(error).__name__}: {error}")
    return "error", error


def _work(settings: Settings, connection: Connection) -> None:
    """A worker process: load and warm up an Assistant, then answer what the pipe asks."""
    import rag  # noqa: F401  (the offline environment before anything loads a model)

    assistant = Assistant(settings)
    with contextlib.suppress(FootnoteError):  # an empty store has nothing to warm
        assistant.ask(WARM_UP_QUESTION)  # loads the model, BM25 and the store's index
    connection.send(("ready", os.getpid()))
    while True:
        try:
            question, history, options, cached = connection.recv()
        except (EOFError, OSError):
            return  # the server is gone
        assistant.cache = _RelayCache(connection) if cached else None
        try:
            for event in assistant.stream(question, history, options):
                connection.send(("delta", event) if isinstance(event, str) else ("answer", event))
        except Exception as error:
            if not isinstance(error, FootnoteError):
                log.exception("answering %r failed", question)
            connection.send(_portable(error))


def _cached(cache: Cache | None, key: str) -> Answer | None:
    """The server's cached answer for a worker; a cache that fails is a miss (the worker waits
    for a reply, so it always gets one)."""
    try:
        return cache.get(key) if cache is not None else None
    except Exception:
        log.exception("the answer cache failed; answering afresh")
        return None


def _keep(cache: Cache | None, key: str, answer: Answer) -> None:
    try:
        if cache is not None:
            cache.put(key, answer)
    except Exception:
        log.exception("the answer cache failed to keep an answer")


@dataclass
class _Worker:
    process: Any  # multiprocessing's SpawnProcess
    connection: Connection


class AnswerPool:
    """`size` answer processes; a question takes the next idle one, or waits for one at most
    `wait_s` and is told to retry (the queue stays bounded)."""

    def __init__(self, settings: Settings, size: int) -> None:
        if size < 1:
            raise ValueError(f"an answer pool needs at least one process, not {size}")
        self.size = size
        self._settings = settings.model_copy(
            update={"embed_threads": settings.embed_threads or 1}  # a core each, no more
        )
        # Forked from a fork server, a fresh process that imported what a worker needs once
        # (ui/answer_fork.py): no threads or sockets of this one are forked, and the modules'
        # memory is shared (spawned, each worker imported them for ~5 s of CPU).
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["ui.answer_fork"])
        self._first: _Worker | None = None
        self._all_started = threading.Event()  # set once every worker started or failed
        self._ready: set[int] = set()  # the workers (pids) that have warmed up and not died
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: list[_Worker] = []
        self._guard = threading.Lock()
        self._closed = False

    def start(self, timeout_s: float = START_TIMEOUT_S) -> AnswerPool:
        """`begin`, then `wait_first`."""
        return self.begin().wait_first(timeout_s)

    def begin(self) -> AnswerPool:
        """Start the first worker (the server builds its app meanwhile)."""
        self._first = self._spawn()
        return self

    def wait_first(self, timeout_s: float = START_TIMEOUT_S) -> AnswerPool:
        """Wait until the first worker has warmed up (FootnoteError if it fails), then start
        the others one after another in the background: a server answers as soon as one
        worker is ready, and that one warms up with the cores to itself (three at once on 2
        cores kept a server on 500k chunks from answering for 47 s)."""
        first = self._first
        if first is None or not first.connection.poll(timeout_s):
            self.close()
            raise FootnoteError(f"an answer process did not start within {timeout_s:.0f} s")
        try:
            first.connection.recv()
        except (EOFError, OSError):
            self.close()
            code = first.process.exitcode
            raise FootnoteError(
                f"an answer process failed to start (exit code {code}); see the log above"
            ) from None
        self._took(first)
        threading.Thread(
            target=self._start_more,
            args=(self.size - 1, self._all_started),
            name="answer-pool-start",
            daemon=True,
        ).start()
        return self

    def _took(self, worker: _Worker) -> None:
        """A worker that has warmed up takes questions."""
        with self._guard:
            self._ready.add(worker.process.pid)
        self._idle.put(worker)

    def ready(self) -> int:
        """How many workers take questions now (the others are starting or being replaced)."""
        with self._guard:
            return len(self._ready)

    def wait_started(self, timeout_s: float = START_TIMEOUT_S) -> bool:
        """Whether every worker has started (or failed to, or the pool closed) within
        `timeout_s`."""
        return self._all_started.wait(timeout_s)

    def _start_more(self, count: int, all_started: threading.Event | None = None) -> None:
        """Start `count` workers, one at a time; each takes questions once warmed up (then
        set `all_started`)."""
        for _ in range(count):
            worker = self._spawn()
            if worker is None:
                break  # closed meanwhile
            try:
                worker.connection.recv()
                self._took(worker)
            except (EOFError, OSError):
                log.error("an answer process failed to start (exit %s)", worker.process.exitcode)
        if all_started is not None:
            all_started.set()

    def _spawn(self) -> _Worker | None:
        """A new worker, forked from the fork server (None once the pool is closed)."""
        ours, theirs = self._context.Pipe()
        with self._guard:
            if self._closed:
                return None
            process = self._context.Process(
                target=_work, args=(self._settings, theirs), name="footnote-answer", daemon=True
            )
            process.start()
            theirs.close()
            worker = _Worker(process, ours)
            self._workers.append(worker)
        return worker

    def _replace(self, dead: _Worker) -> None:
        """Put a new worker in the place of one that died, from a thread (it takes seconds)."""
        dead.process.kill()
        dead.process.join(timeout=10)
        dead.connection.close()
        with self._guard:
            self._workers.remove(dead)
            self._ready.discard(dead.process.pid)
            if self._closed:
                return
        threading.Thread(
            target=self._start_more, args=(1,), name="answer-pool-restart", daemon=True
        ).start()

    def events(
        self,
        question: str,
        history: Sequence[str],
        options: AskOptions,
        cache: Cache | None,
        wait_s: float,
        busy_message: str,
    ) -> Iterator[str | Answer]:
        """Assistant.stream in the next idle worker: text deltas, then the Answer."""
        try:
            worker = self._idle.get(timeout=wait_s)
        except queue.Empty:
            raise Busy(busy_message) from None
        finished = False  # the worker sent its answer or error: it may take the next question
        try:
            worker.connection.send((question, list(history), options, cache is not None))
            while not finished:
                kind, *body = worker.connection.recv()
                if kind == "cache-get":
                    worker.connection.send(_cached(cache, body[0]))
                elif kind == "cache-put":
                    _keep(cache, body[0], body[1])
                elif kind == "delta":
                    yield body[0]
                elif kind == "answer":
                    finished = True
                    yield body[0]
                else:
                    finished = True
                    raise NoMatch(*body[0]) if kind == "no-match" else body[0]
        except (EOFError, OSError, pickle.UnpicklingError):
            self._replace(worker)
            raise Busy(DIED) from None
        finally:
            if not finished and worker.process.is_alive():
                finished = self._drain(worker, cache)  # the caller stopped reading early
            if finished:
                self._idle.put(worker)

    def _drain(self, worker: _Worker, cache: Cache | None) -> bool:
        """Read the rest of an answer nobody waits for any more; False if the worker died."""
        try:
            while True:
                kind, *body = worker.connection.recv()
                if kind == "cache-get":
                    worker.connection.send(_cached(cache, body[0]))
                elif kind in ("answer", "error", "no-match"):
                    return True
        except (EOFError, OSError, pickle.UnpicklingError):
            self._replace(worker)
            return False

    def pids(self) -> list[int]:
        with self._guard:
            return [worker.process.pid for worker in self._workers]

    def close(self) -> None:
        """Stop every worker (the server is shutting down)."""
        with self._guard:
            self._closed = True
            workers = list(self._workers)
        self._all_started.set()
        for worker in workers:
            worker.connection.close()
        for worker in workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=5)
