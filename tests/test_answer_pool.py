"""Answer processes (ui/answer_pool.py) with the real model over the bundled corpus: the same
answers as in-process, the server's cache shared through the pipe, errors typed as before, a
bounded wait, a stream abandoned half-way, and a worker killed with SIGKILL costing only the
question it had (told to retry) while a new process takes its place."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator

import pytest

from rag.assistant import AskOptions, Assistant
from rag.cache import AnswerCache
from rag.errors import Busy, Invalid
from rag.types import Answer, Filters
from ui.answer_pool import DIED, AnswerPool, worker_count
from ui.service import BUSY_MESSAGE, Service

QUESTIONS = ["Who is Anthropic's CEO?", "What did the Pentagon ask Anthropic to allow?"]


@pytest.fixture(scope="module")
def pool(corpus_assistant: Assistant) -> Iterator[AnswerPool]:
    started = AnswerPool(corpus_assistant.settings, 2).start()
    assert started.wait_started(300)
    yield started
    started.close()


def _answer(pool: AnswerPool, question: str, cache: AnswerCache | None = None) -> Answer:
    events = list(pool.events(question, [], AskOptions(), cache, 60, BUSY_MESSAGE))
    assert isinstance(events[-1], Answer)
    return events[-1]


def _same(one: Answer, other: Answer) -> bool:
    keep = {"answer", "citations", "abstained", "sentences", "retrieved"}
    return one.model_dump(include=keep) == other.model_dump(include=keep)


def test_the_first_worker_answers_while_the_others_start(corpus_assistant):
    """`start` (`begin`, `wait_first`) returns once one worker is ready; the others start one
    at a time after it, each forked from the pool's fork server (not from this process), and
    take questions as they come up."""
    three = AnswerPool(corpus_assistant.settings, 3).begin()  # the server builds its app
    try:
        assert not three.wait_started(0) and three.ready() == 0
        three.wait_first()
        assert len(three.pids()) < 3 and three._idle.qsize() == 1 and three.ready() == 1
        assert _answer(three, QUESTIONS[0]).answer
        assert three.wait_started(300)
        assert len(three.pids()) == 3 and three._idle.qsize() == 3 and three.ready() == 3
        parents = {_parent(pid) for pid in three.pids()}
        assert len(parents) == 1 and os.getpid() not in parents
    finally:
        three.close()


def _parent(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[1])


def test_worker_answers_are_the_in_process_answers(pool, corpus_assistant):
    for question in QUESTIONS:
        assert _same(_answer(pool, question), corpus_assistant.ask(question))


def test_both_workers_answer_at_once(pool, corpus_assistant):
    answers: dict[str, Answer] = {}
    threads = [
        threading.Thread(target=lambda q=q: answers.__setitem__(q, _answer(pool, q)))
        for q in QUESTIONS
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert set(answers) == set(QUESTIONS)
    assert all(_same(answers[q], corpus_assistant.ask(q)) for q in QUESTIONS)


def test_the_servers_cache_is_used_through_the_pipe(pool):
    cache = AnswerCache()
    first = _answer(pool, QUESTIONS[0], cache)
    again = _answer(pool, QUESTIONS[0], cache)
    assert cache.stats().misses == 1 and cache.stats().hits == 1 and cache.stats().entries == 1
    assert _same(first, again)


def test_errors_keep_their_type(pool, corpus_assistant):
    service = Service(corpus_assistant, pool=pool)
    nothing = AskOptions(filters=Filters.parse(source="no-such-document*"))
    with pytest.raises(Invalid) as caught:
        service.answer(QUESTIONS[0], options=nothing)
    assert caught.value.detail.startswith("source: ")
    with pytest.raises(Invalid, match="the question is empty"):
        service.answer("   ")
    assert pool._idle.qsize() == 2  # both free again


def test_a_question_waits_a_bounded_time_then_is_told_to_retry(corpus_assistant):
    one = AnswerPool(corpus_assistant.settings, 1).start()
    try:
        held = one.events(QUESTIONS[0], [], AskOptions(), None, 60, BUSY_MESSAGE)
        next(held)  # the only worker is busy with this stream until it is read or closed
        started = time.monotonic()
        with pytest.raises(Busy, match="busy answering"):
            list(one.events(QUESTIONS[1], [], AskOptions(), None, 0.5, BUSY_MESSAGE))
        assert time.monotonic() - started < 5
        held.close()  # abandoned half-way: the rest is read, the worker is free again
        assert _answer(one, QUESTIONS[1]).answer
    finally:
        one.close()


def test_a_killed_worker_costs_one_question_and_is_replaced(pool):
    before = pool.pids()
    os.kill(before[0], signal.SIGKILL)
    outcomes = []
    for question in QUESTIONS:  # idle workers take turns: one of two questions meets the dead one
        try:
            outcomes.append(bool(_answer(pool, question).answer))
        except Busy as error:
            outcomes.append(str(error))
    assert sorted(outcomes, key=str) == sorted([True, DIED], key=str)
    for question in QUESTIONS * 2:
        assert _answer(pool, question).answer
    deadline = time.monotonic() + 300
    while len(pool.pids()) < 2 or pool._idle.qsize() < 2:
        assert time.monotonic() < deadline, "no worker took the dead one's place"
        time.sleep(0.2)
    assert before[0] not in pool.pids() and before[1] in pool.pids() and pool.ready() == 2


def test_worker_count_follows_the_setting(corpus_assistant, monkeypatch):
    settings = corpus_assistant.settings
    assert worker_count(settings.model_copy(update={"answer_workers": 0})) == 0
    assert worker_count(settings.model_copy(update={"answer_workers": 3})) == 3
    unset = settings.model_copy(update={"answer_workers": None})
    for cores, workers in ((1, 2), (2, 3), (3, 4), (16, 4)):  # one per core and one more, <= 4
        monkeypatch.setattr(os, "cpu_count", lambda cores=cores: cores)
        assert worker_count(unset) == workers
