"""What the chat, the HTTP API and the CLI all do, with no web framework: answer questions
in the answer processes (ui/answer_pool.py), or in this one under the answer lock, with each
question's own options, export answers, record ratings, list
and show the documents and (managers) add and delete them through the library. Failures are
typed errors (rag/errors.py) that each front end says its own way."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

from ingest.library import Library
from ingest.sync import IngestReport
from rag import export, feedback
from rag.assistant import AskOptions, Assistant
from rag.errors import Busy, FootnoteError, Forbidden, Invalid, NotFound, StoreEmpty
from rag.retrieve import NoMatch
from rag.store_records import DocumentInfo
from rag.types import Answer, Document
from ui.answer_pool import AnswerPool
from ui.auth import Access
from ui.users import Role

# Answer steps run at once in this process. 2 measured no faster than 1 on 2 cores (the GIL:
# README "Load"), so steps take turns; an AnswerPool's processes use every core instead.
ANSWERERS = 1
BUSY_WAIT_S = 20.0  # an ask waits this long at most for the answerer, then is told to retry
BUSY_MESSAGE = "Footnote is busy answering other questions: retry in a few seconds."
NO_ANSWER_YET = "Ask a question first: there is no answer to export yet."


class Service:
    """One Assistant's questions and corpus for every front end. With a `pool`, each question
    is answered whole in the next idle answer process; without, one step at a time, at most
    ANSWERERS steps at once, so streams interleave. Either way a question waits at most
    BUSY_WAIT_S for its turn before it is told to retry."""

    def __init__(
        self, assistant: Assistant, access: Access | None = None, pool: AnswerPool | None = None
    ) -> None:
        self.assistant = assistant
        self.pool = pool
        self.settings = assistant.settings
        self.data_dir: Path = assistant.settings.data_dir  # exports and feedback go here
        self.access = access or Access(None)
        self.library = Library(assistant.store, assistant.settings, lambda: assistant.embed_model)
        self._lock = threading.BoundedSemaphore(ANSWERERS)
        self._dates: dict[tuple[str, str], str | None] = {}

    # asking ----------------------------------------------------------------------------

    def engines(self) -> list[str]:
        """The engines a user may pick: openai only with an endpoint configured."""
        return ["extractive", "openai"] if self.settings.llm_base_url else ["extractive"]

    def _check(self, options: AskOptions) -> None:
        engine = options.engine or self.settings.engine
        top_k = options.top_k or self.settings.top_k
        if engine not in self.engines():
            raise Invalid(f"engine {engine!r} is not available: set FOOTNOTE_LLM_BASE_URL")
        if not 1 <= top_k <= 100:
            raise Invalid(f"top_k {top_k}: choose 1 to 100 passages")

    def require_documents(self) -> None:
        """StoreEmpty unless there is something to answer from."""
        if self.assistant.store.count_chunks() == 0:
            raise StoreEmpty()

    def events(
        self, question: str, history: Sequence[str] = (), options: AskOptions | None = None
    ) -> Iterator[str | Answer]:
        """Assistant.stream, each step taken under the lock: text deltas, then the Answer. A
        filter matching no document is Invalid, the API naming the fields to blame."""
        options = options or AskOptions()
        self._check(options)
        if self.pool is not None:
            cache = self.assistant.cache
            try:
                yield from self.pool.events(
                    question, history, options, cache, BUSY_WAIT_S, BUSY_MESSAGE
                )
            except NoMatch as error:
                raise Invalid(str(error), detail=f"{', '.join(error.fields)}: {error}") from error
            return
        stream = self.assistant.stream(question, history, options)
        while True:
            if not self._lock.acquire(timeout=BUSY_WAIT_S):
                raise Busy(BUSY_MESSAGE)
            try:
                event = next(stream, None)
            except NoMatch as error:
                raise Invalid(str(error), detail=f"{', '.join(error.fields)}: {error}") from error
            finally:
                self._lock.release()
            if event is None:
                return
            yield event

    def answer(
        self, question: str, history: Sequence[str] = (), options: AskOptions | None = None
    ) -> Answer:
        """The verified Answer to `question` (a follow-up of the earlier standalone questions
        in `history`)."""
        for event in self.events(question, history, options):
            if isinstance(event, Answer):
                return event
        raise FootnoteError("the answer stream ended without an answer")

    # exports and ratings ---------------------------------------------------------------

    def exchange(self, answer: Answer, asked_at: datetime | None = None) -> export.Exchange:
        """`answer` with what an export records of it: document hashes and dates, settings."""
        meta = export.describe(answer, self.assistant.store, self.settings, asked_at)
        return export.Exchange(answer, meta)

    def export(
        self, exchanges: Sequence[export.Exchange], fmt: export.Format, conversation: bool
    ) -> Path:
        """Write the last answer (or with `conversation` all of them) into the exports folder
        under a generated name."""
        if not exchanges:
            raise Invalid(NO_ANSWER_YET)
        chosen = exchanges if conversation else exchanges[-1:]
        return export.save(self.data_dir, chosen, fmt, conversation)

    def rate(
        self,
        answer_id: str,
        answer: Answer,
        rating: feedback.Rating | None,
        comment: str,
        asked_at: datetime,
    ) -> None:
        """Record a thumbs up/down (None: taken back) and a comment for one answer."""
        feedback.record(self.data_dir, answer_id, answer, rating, comment, asked_at)

    # the corpus ------------------------------------------------------------------------

    def role(self, user: str | None) -> Role | None:
        return self.access.role(user)

    def require_manager(self, user: str | None) -> None:
        role = self.role(user)
        if role != "manager":
            who = f"you are signed in as {user!r} ({role or 'unknown user'})" if user else ""
            raise Forbidden(
                "only managers can add or delete documents" + (f"; {who}" if who else "")
            )

    def documents(self) -> list[DocumentInfo]:
        return self.assistant.store.list_documents()

    def published(self, source: str, content_hash: str) -> str | None:
        """A stored document's publication date (remembered per version)."""
        key = (source, content_hash)
        if key not in self._dates:
            try:
                self._dates[key] = self.assistant.store.get_document(source).published
            except FootnoteError:
                return None
        return self._dates[key]

    def document(self, source: str) -> Document:
        """One stored document whole, by its name or an alias name."""
        try:
            return self.assistant.store.get_document(source)
        except FootnoteError as error:
            raise NotFound(str(error)) from error

    def add_files(self, files: Sequence[tuple[str, Path]], user: str | None) -> IngestReport:
        """Store uploaded files (name, where received) as documents: managers only."""
        self.require_manager(user)
        return self.library.add_uploads(files)

    def delete(self, source: str, user: str | None) -> list[str]:
        """Remove a document and its copies, or one alias name: managers only."""
        self.require_manager(user)
        return self.library.remove(source)
