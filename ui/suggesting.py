"""The first screen's suggested questions (rag/suggest.py proposes them): worked out in the
background once per corpus version, each one asked until it gets a direct answer, so asking
it again is served from the answer cache. Part of `Service` (ui/service.py)."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Protocol

from rag.errors import FootnoteError
from rag.suggest import DOCUMENTS_READ, Candidate, answers_it, candidates
from rag.types import Answer

if TYPE_CHECKING:
    from rag.assistant import Assistant
    from rag.store_records import DocumentInfo
    from ui.answer_pool import AnswerPool

log = logging.getLogger(__name__)

SUGGESTIONS = 4  # questions the first screen suggests
SUGGESTION_TRIES = 8  # candidates asked at most to find them (each must get a direct answer)
SUGGESTION_WAIT_S = 30.0  # the first page load waits this long at most for them


class _Service(Protocol):
    """What working out suggestions needs of the service it is part of."""

    assistant: Assistant
    pool: AnswerPool | None
    _suggested: tuple[frozenset[str], list[str]] | None
    _suggesting: threading.Lock
    _suggester: threading.Thread | None

    def documents(self) -> list[DocumentInfo]: ...

    def answer(self, question: str) -> Answer: ...

    def suggestions(self, wait_s: float = SUGGESTION_WAIT_S) -> list[str]: ...

    def _suggest(self, versions: frozenset[str]) -> None: ...

    def _answers(self, candidate: Candidate) -> bool: ...


class Suggesting:
    """`Service`'s suggested questions."""

    _suggested: tuple[frozenset[str], list[str]] | None  # set by Service.__init__
    _suggester: threading.Thread | None

    def prepare_suggestions(self: _Service) -> None:
        """Start working out the first screen's suggestions (a few seconds) before anyone asks;
        with answer processes, once they have all started, so that the questions it asks do
        not hold up the first users' (a page opened before then starts it itself)."""
        pool = self.pool
        if pool is None:
            self.suggestions(wait_s=0)
            return

        def after_start() -> None:
            pool.wait_started()
            self.suggestions(wait_s=0)

        threading.Thread(target=after_start, name="suggestions-after-start", daemon=True).start()

    def suggestions(self: _Service, wait_s: float = SUGGESTION_WAIT_S) -> list[str]:
        """Up to SUGGESTIONS questions about the documents that get an answer (rag/suggest.py
        proposes them), worked out in the background once per corpus version: the last ones
        while new ones are worked out, or (the first time) waiting up to `wait_s` for them."""
        versions = frozenset(self.assistant.store.committed_versions())
        with self._suggesting:
            known = self._suggested
            if known is not None and known[0] == versions:
                return known[1]
            worker = self._suggester
            if worker is None or not worker.is_alive():
                worker = threading.Thread(
                    target=self._suggest, args=(versions,), name="suggestions", daemon=True
                )
                worker.start()
                self._suggester = worker
        if known is None:
            worker.join(wait_s)
            known = self._suggested
        return known[1] if known is not None else []

    def _suggest(self: _Service, versions: frozenset[str]) -> None:
        """Ask each document's candidates until one gets a direct answer (at most one per
        document, SUGGESTION_TRIES asked in all), so asking it again is served from the
        answer cache."""
        chosen: list[str] = []
        try:
            first = sorted(
                self.documents(), key=lambda i: ((i.title or i.source).lower(), i.source)
            )
            read = [info.source for info in first[:DOCUMENTS_READ]]  # not every document
            documents = list(self.assistant.store.get_documents(read).values())
            tries = SUGGESTION_TRIES
            for found in candidates(documents):
                for candidate in found[:tries]:
                    tries -= 1
                    if self._answers(candidate):
                        chosen.append(candidate.question)
                        break
                if len(chosen) == SUGGESTIONS or tries <= 0:
                    break
        except Exception:  # a first screen without suggestions, never a broken page
            log.exception("working out suggested questions failed")
        self._suggested = (versions, chosen)

    def _answers(self: _Service, candidate: Candidate) -> bool:
        try:
            return answers_it(candidate, self.answer(candidate.question))
        except FootnoteError:
            return False
