"""What the chat, the HTTP API and the CLI all do, with no web framework: answer questions
in the answer processes (ui/answer_pool.py), or in this one under the answer lock, with each
question's own options, save each answer as an answer record and open records again (checked
against the documents now), export answers, record ratings, list and show the documents and
(managers) add and delete them through the library. Failures are typed errors (rag/errors.py)
that each front end says its own way."""

from __future__ import annotations

import difflib
import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from ingest.library import Library
from ingest.sync import IngestReport
from rag import export, feedback
from rag.assistant import AskOptions, Assistant
from rag.db import Database, DatabaseUnavailable
from rag.db_state import DatabaseFeedback
from rag.errors import Busy, FootnoteError, Forbidden, Invalid, NotFound, StoreEmpty, TooLarge
from rag.records import AnswerRecord, Records, save_answer
from rag.records_check import Lookup, check_record, store_lookup
from rag.retrieve import NoMatch
from rag.store_records import DocumentInfo
from rag.types import Answer, Document, Filters
from rag.view import DocumentFacts, facts_of
from ui.answer_pool import AnswerPool
from ui.auth import Access
from ui.suggesting import Suggesting
from ui.users import Role

log = logging.getLogger(__name__)

# Answer steps run at once in this process. 2 measured no faster than 1 on 2 cores (the GIL:
# README "Load"), so steps take turns; an AnswerPool's processes use every core instead.
ANSWERERS = 1
BUSY_WAIT_S = 20.0  # an ask waits this long at most for the answerer, then is told to retry
BUSY_MESSAGE = "Footnote is busy answering other questions: retry in a few seconds."
NO_ANSWER_YET = "Ask a question first: there is no answer to export yet."
EMPTY_QUESTION = "the question is empty"
CLOSE_NAMES = 3  # names suggested when a document name matches none
HISTORY_KEPT = 20  # earlier questions passed on at most (the rewrite reads the last three)
MAX_UPLOAD_FILES = 20  # files one upload may carry, in the chat and through the API


@dataclass(frozen=True)
class Overview:
    """What the chat's first screen says the corpus is."""

    documents: list[DocumentFacts]  # by title
    chunks: int
    last_ingest: datetime | None  # when a writer last finished (None: not known here)


class Service(Suggesting):
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
        self._facts: dict[tuple[str, str], DocumentFacts] = {}
        self._suggested: tuple[frozenset[str], list[str]] | None = None
        self._suggesting = threading.Lock()
        self._suggester: threading.Thread | None = None

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

    def check_question(self, question: str) -> None:
        """Invalid when `question` has no words or is longer than max_question_chars: every
        front end refuses it here, with this message, before any answering work starts."""
        if not question.split():
            raise Invalid(EMPTY_QUESTION, detail=f"question: {EMPTY_QUESTION}")
        limit = self.settings.max_question_chars
        if len(question) > limit:
            message = (
                f"the question is too long: {len(question):,} characters, "
                f"at most {limit:,} are accepted"
            )
            raise Invalid(message, detail=f"question: {message}")

    def events(
        self, question: str, history: Sequence[str] = (), options: AskOptions | None = None
    ) -> Iterator[str | Answer]:
        """Assistant.stream, each step taken under the lock: text deltas, then the Answer. A
        filter matching no document is Invalid, the API naming the fields to blame. A question
        over the length limit is refused before anything starts; of the earlier questions,
        the last HISTORY_KEPT are passed on, each cut to that limit."""
        self.check_question(question)
        options = options or AskOptions()
        self._check(options)
        limit = self.settings.max_question_chars
        earlier = [asked[:limit] for asked in history[-HISTORY_KEPT:]]
        if self.pool is not None:
            return self._pooled(question, earlier, options)
        return self._steps(question, earlier, options)

    def _pooled(
        self, question: str, history: Sequence[str], options: AskOptions
    ) -> Iterator[str | Answer]:
        """The whole question in the next idle answer process (ui/answer_pool.py)."""
        assert self.pool is not None
        cache = self.assistant.cache
        try:
            yield from self.pool.events(
                question, history, options, cache, BUSY_WAIT_S, BUSY_MESSAGE
            )
        except NoMatch as error:
            raise Invalid(str(error), detail=f"{', '.join(error.fields)}: {error}") from error

    def _steps(
        self, question: str, history: Sequence[str], options: AskOptions
    ) -> Iterator[str | Answer]:
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

    # answer records --------------------------------------------------------------------

    @cached_property
    def database(self) -> Database:
        """User state's database, opened on first use (`footnote show` never touches it)."""
        return Database.from_settings(self.settings)

    @cached_property
    def records(self) -> Records:
        return Records(self.database)

    def prepare_database(self) -> None:
        """Bring the database up to date now (a chat server's start); when it cannot be
        used, say so in the log and serve anyway: answers are then given but not saved."""
        try:
            self.database.ready()
        except DatabaseUnavailable as error:
            log.warning("%s; answers are given but not saved until it is back", error)

    def record(
        self,
        answer: Answer,
        asked_at: datetime,
        user: str | None = None,
        filters: Filters | None = None,
    ) -> export.Exchange:
        """`answer` saved as an answer record (its record_id set), with its export metadata;
        when the database fails, unsaved and its notice saying so."""
        exchange = self.exchange(answer, asked_at)
        saved = save_answer(self.records, answer, exchange.meta, user, filters)
        return export.Exchange(saved, exchange.meta)

    def lookup(self) -> Lookup:
        """The stored documents by name, as citations are checked against them now."""
        return store_lookup(self.assistant.store)

    def open_record(self, record_id: str, user: str | None) -> AnswerRecord:
        """The answer record, each citation checked against the store now. A reader opens
        the records of their own questions only (another's is "not found", as an unknown id
        is); managers, and everyone without sign-in, open every record."""
        asked_by = None if self.role(user) == "manager" else user or ""
        return check_record(self.records.get(record_id, asked_by), self.lookup())

    def delete_record(self, record_id: str, user: str | None) -> None:
        """Remove an answer record: managers only (everyone without sign-in)."""
        role = self.role(user)
        if role != "manager":
            raise Forbidden(
                f"only managers can delete answer records; you are signed in as {user!r} "
                f"({role or 'unknown user'})"
            )
        self.records.delete(record_id)

    # exports and ratings ---------------------------------------------------------------

    def exchange(self, answer: Answer, asked_at: datetime | None = None) -> export.Exchange:
        """`answer` with what an export records of it: document hashes and dates, settings."""
        meta = export.describe(answer, self.assistant.store, self.settings, asked_at)
        return export.Exchange(answer, meta)

    def export(
        self,
        exchanges: Sequence[export.Exchange],
        fmt: export.Format,
        conversation: bool,
        user: str | None = None,
    ) -> Path:
        """Write the last answer (or with `conversation` all of them) into the exports folder
        under an unguessable folder of its own, recorded as `user`'s, linked to the public
        address as it is now."""
        if not exchanges:
            raise Invalid(NO_ANSWER_YET)
        public = {"public_url": self.settings.public_url}
        chosen = [
            export.Exchange(e.answer, e.meta.model_copy(update=public))
            for e in (exchanges if conversation else exchanges[-1:])
        ]
        return export.save(self.data_dir, chosen, fmt, conversation, owner=user or "")

    def exported(self, key: str, name: str, user: str | None) -> Path:
        """The export file `key`/`name` for `user`: theirs, or anyone's for a manager (everyone
        without a users file); NotFound otherwise, so others cannot tell it exists."""
        found = export.find(self.data_dir, key, name)
        if found is None or (found[1] != (user or "") and self.role(user) != "manager"):
            raise NotFound(f"no export {name!r} of yours here")
        return found[0]

    def rate(
        self,
        answer_id: str,
        answer: Answer,
        rating: feedback.Rating | None,
        comment: str,
        asked_at: datetime,
    ) -> None:
        """Record a thumbs up/down (None: taken back) and a comment for one answer."""
        self.ratings.record(answer_id, answer, rating, comment, asked_at)

    @cached_property
    def ratings(self) -> DatabaseFeedback:
        return DatabaseFeedback(self.database)

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
        """Every stored document's record, by name: the committed versions the store keeps
        per generation (listing 50k records from a Chroma server takes seconds, and health
        checks ask for them)."""
        return sorted(self.assistant.store.committed().values(), key=lambda info: info.source)

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

    def searched(self, filters: Filters) -> int:
        """How many stored documents a question with `filters` searches."""
        return sum(
            not filters.rejections([info.source, *info.aliases], info.file_type, info.published)
            for info in self.assistant.store.committed().values()
        )

    def find_document(self, name: str) -> Document:
        """A stored document by its name, an alias, a unique beginning of a name, or its title
        (or a unique beginning of one); NotFound names the candidates or the closest names."""
        infos = self.documents()
        names = {n: i.source for i in infos for n in (i.source, *i.aliases)}
        if name in names:
            return self.document(names[name])
        folded = name.casefold().strip()
        for matches in (
            {s for n, s in names.items() if n.casefold().startswith(folded)},
            {i.source for i in infos if i.title.casefold() == folded},
            {i.source for i in infos if i.title.casefold().startswith(folded)},
        ):
            if len(matches) == 1:
                return self.document(matches.pop())
            if len(matches) > 1:
                shown = ", ".join(sorted(matches)[:8])
                raise NotFound(f"{name!r} matches {len(matches)} documents: {shown}")
        titles = {i.title: i.source for i in infos}
        close = difflib.get_close_matches(name, [*names, *titles], CLOSE_NAMES, 0.5)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise NotFound(f"no stored document is named or titled {name!r}{hint}")

    def facts(self, sources: Iterable[str]) -> dict[str, DocumentFacts]:
        """Each stored document's title, site, type and date (inferred from its text when its
        metadata has none): worked out once per document version."""
        stored = {info.source: info for info in self.assistant.store.committed().values()}
        found = {}
        for source in set(sources):
            info = stored.get(source)
            if info is None:
                continue
            key = (info.source, info.content_hash)
            if key not in self._facts:
                try:
                    self._facts[key] = facts_of(self.assistant.store.get_document(info.source))
                except FootnoteError:
                    continue
            found[source] = self._facts[key]
        return found

    def overview(self) -> Overview:
        """The corpus as the first screen says it: its documents by title, its size, and
        when it last changed (the writer's marks file, for a store on this machine)."""
        infos = self.documents()
        facts = self.facts(i.source for i in infos)
        shown = sorted(facts.values(), key=lambda f: (f.title.casefold(), f.source))
        marks = getattr(self.assistant.store, "marks_path", None)
        changed = None
        if marks is not None and not self.settings.chroma_url and marks.exists():
            changed = datetime.fromtimestamp(marks.stat().st_mtime, UTC)
        return Overview(shown, sum(i.chunks for i in infos), changed)

    def upload_limit(self) -> str:
        """The one upload limit, as every front end states it."""
        return f"at most {MAX_UPLOAD_FILES} files of {self.settings.max_file_mb:g} MB each"

    def add_files(self, files: Sequence[tuple[str, Path]], user: str | None) -> IngestReport:
        """Store uploaded files (name, where received) as documents: managers only, at most
        MAX_UPLOAD_FILES at once (each file's size is checked as ingest checks it)."""
        self.require_manager(user)
        if len(files) > MAX_UPLOAD_FILES:
            raise TooLarge(f"too many files: {len(files)}; upload {self.upload_limit()}")
        return self.library.add_uploads(files)

    def delete(self, source: str, user: str | None) -> list[str]:
        """Remove a document and its copies, or one alias name: managers only."""
        self.require_manager(user)
        return self.library.remove(source)
