"""The one entry point the CLI, chat and evaluation share: question in, cited Answer out."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Literal

import numpy as np

from rag.answer import ABSTAIN_TEXT, Draft, ExtractiveEngine
from rag.bridges import answer_via_bridge
from rag.cache import Cache
from rag.chroma import reaching
from rag.compose import with_pages
from rag.conversation import FOLLOWING_UP, leans_back, rule_based, split_context, standalone
from rag.embedding import Embedding
from rag.errors import Invalid, StoreEmpty
from rag.hops import answer_in_hops, merged
from rag.language import foreign_language, in_other_language
from rag.llm import ABSTAIN_PHRASE, LLMUnavailable, OpenAIEngine, cite, pinpoint
from rag.messages import asked_after, asked_of_told
from rag.names import written_as_names
from rag.overview import asks_overview, page_passages, with_openings
from rag.page_facts import asks_page_only
from rag.page_questions import page_fact
from rag.rerank import load_reranker
from rag.retrieve import Retriever, Selection
from rag.scoped import of_page_named
from rag.sentences import SentenceVectors
from rag.settings import Settings, configure_llama_index
from rag.shorthand import opener_spelled, without_preamble, written_out
from rag.spelling import corrected
from rag.store import Store
from rag.story_turns import asks_on_page, told_on_page
from rag.turns import called_a_person, person_answered, says_own_words, thing_answered
from rag.two_part import joined, two_questions
from rag.types import Answer, Document, Filters, Passage
from rag.verify import verify

_NAME_PASSAGES = 3  # passages read to tell whether a bare name is a person's
_TURNS_BACK = 3  # earlier turns searched again for the one a follow-up can go on from


@dataclass(frozen=True)
class AskOptions:
    """One question's own choices (None: the settings'): engine, passages, documents."""

    engine: Literal["extractive", "openai"] | None = None
    top_k: int | None = None
    filters: Filters = field(default_factory=Filters)


@dataclass(frozen=True)
class _Drafted:
    """A draft, the passages it drew on and those listed, their documents, further searches."""

    draft: Draft
    passages: list[Passage]
    answered_from: list[Passage]
    documents: dict[str, Document]
    searches: list[str]


class Assistant:
    """Owns the store, the embedding model, retrieval and the answer engines."""

    def __init__(self, settings: Settings, embed_model: Embedding | None = None) -> None:
        """`embed_model`: one already loaded (else the settings' model, loaded when used)."""
        self.settings = settings
        self.store = Store(
            settings.chroma_dir, settings.chroma_url or "", database=settings.database_url
        )
        self.cache: Cache | None = None  # the chat and the API set one (rag/cache.py)
        self._given_model = embed_model

    @cached_property
    def embed_model(self) -> Embedding:
        return configure_llama_index(self.settings, self._given_model)

    @cached_property
    def retriever(self) -> Retriever:
        return Retriever(
            self.store,
            self.embed_model,
            self.settings.retriever,
            self.settings.dense_weight,
            self.settings.fusion,
            neighbours=self.settings.neighbours,
            reranker=load_reranker(self.settings.reranker_dir),
        )

    @cached_property
    def engine(self) -> ExtractiveEngine:
        return ExtractiveEngine(
            self.embed_model.embed,
            self.settings.answer_passages,
            self.settings.max_answer_sentences,
            self.settings.min_support,
            SentenceVectors(self.store.sentences),
        )

    @cached_property
    def llm(self) -> OpenAIEngine:
        return OpenAIEngine(self.settings)

    def settings_for(self, options: AskOptions) -> Settings:
        """The settings one question is answered with: these, with the options' engine and
        passages retrieved."""
        chosen = {"engine": options.engine, "top_k": options.top_k}
        update = {name: value for name, value in chosen.items() if value is not None}
        return self.settings.model_copy(update=update) if update else self.settings

    def ask(
        self, question: str, history: Sequence[str] = (), options: AskOptions | None = None
    ) -> Answer:
        """Answer `question` (a follow-up of the earlier standalone questions in `history`)
        from the store (only the documents the options' filters let through), or abstain
        with the closest passages."""
        for event in self.stream(question, history, options):
            if isinstance(event, Answer):
                return event
        raise AssertionError("stream ended without an answer")

    def stream(
        self, question: str, history: Sequence[str] = (), options: AskOptions | None = None
    ) -> Iterator[str | Answer]:
        """Text deltas of the answer as it is written, then the verified Answer. A filter
        that matches no document raises NoMatch before any work is done."""
        with reaching(self.store.url):
            yield from self._stream(question, history, options)

    def _stream(
        self, question: str, history: Sequence[str], options: AskOptions | None
    ) -> Iterator[str | Answer]:
        options = options or AskOptions()
        settings, filters = self.settings_for(options), options.filters
        question = " ".join(question.split())
        if not question:
            raise Invalid("the question is empty")
        history = [without_preamble(turn) for turn in history]  # "...? someone said ...": asked
        if self.store.count_chunks() == 0:
            raise StoreEmpty()
        started = time.perf_counter()
        use_llm = settings.engine == "openai"
        cache, key, hit = self.cache, "", None
        # One view of the store per stretch without a yield (the view is per thread, and a
        # suspended generator may be resumed on another).
        with self.store.one_view():
            only = self.retriever.select(filters)
            plain = opener_spelled(without_preamble(question))  # "for the board pack - ...":
            # the question ("y tho": why); "X said Y. Who said that?": one question, whole
            rewritten = (
                asked_of_told(plain)
                or asked_after(plain)
                or standalone(
                    plain,
                    history,
                    self.llm.complete if use_llm else None,
                    lambda asked: self._person_answered(asked, settings.top_k, only),
                    lambda name: self._called_a_person(name, only),
                    lambda asked: thing_answered(
                        without_preamble(asked), self._search(asked, settings.top_k, only)[1]
                    ),
                )
            )
            query = written_out(rewritten or plain)  # "dept": "department"
            query = corrected(query, self.retriever.lexicon())  # "pentgon": "pentagon"
            if cache is not None:
                key = cache.key(query, settings, filters, self.store.committed_digest())
                hit = cache.get(key)
                if hit is not None and hit.abstained and history and rewritten is None:
                    hit = None  # found nothing alone: it may lean on this conversation
        if hit is not None:
            yield hit.answer
            took = round((time.perf_counter() - started) * 1000, 1)
            asked = {"question": question, "standalone_question": rewritten}
            yield hit.model_copy(update={**asked, "latency_ms": took})
            return
        with self.store.one_view():
            vector = self.embed_model.embed([query])[0]
            passages = self.retriever.retrieve(query, settings.top_k, vector, only)
            drafted = self._draft(query, vector, passages, settings.top_k, only)
            if drafted.draft.abstained and rewritten is None and history:
                leaning = rule_based(plain, history)  # "what was the reason given for the
                again = corrected(written_out(leaning), self.retriever.lexicon())  # change
                leaned = self._in_context(again, settings.top_k, only)  # of heart?": of the
                if says_own_words(leaned.draft, plain, history[-1]):  # last turn's
                    rewritten, query, drafted = leaning, again, leaned
                    if cache is not None:  # kept as the follow-up's, not the question's
                        key = cache.key(query, settings, filters, self.store.committed_digest())
        draft, passages, documents = drafted.draft, drafted.passages, drafted.documents
        engine, notice = "extractive", None
        if use_llm and not draft.abstained:
            sources = self.llm.pack(drafted.answered_from[: self.settings.answer_passages])
            written: list[str] = []
            try:
                for delta in self.llm.stream(query, sources):
                    written.append(delta)
                    yield delta
                text, citations = cite("".join(written), sources)
                text, citations = pinpoint(text, citations, sources, self.embed_model.embed)
                abstained = ABSTAIN_PHRASE.lower() in text.lower()
                draft = Draft(text, citations, abstained, draft.support)
                engine = "openai"
            except LLMUnavailable as error:
                notice = f"{error}; showing the extractive answer instead."
        else:
            yield draft.answer
        draft = with_pages(draft, documents)
        answer = self._finish(question, rewritten, draft, passages, engine, notice)
        answer.searches = drafted.searches
        if (language := foreign_language(question)) is not None:
            in_other_language(answer, language)
        answer.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        if cache is not None and notice is None:  # a fallback's notice is no lasting answer
            cache.put(key, answer)
        yield answer

    def _draft(
        self,
        query: str,
        vector: np.ndarray,
        passages: list[Passage],
        top_k: int,
        only: Selection | None,
    ) -> _Drafted:
        """The extractive draft: in hops when it names a bridge (rag.hops), else as found."""
        own, context = split_context(query)
        of_page = bool(context) and asks_page_only(own)  # "who wrote it and which site?": below
        if not of_page and (parts := two_questions(own)) is not None:
            both = self._each_part(parts, top_k, only, context)
            if both is not None:  # "who wrote it and when was it updated?": both answered
                return both
        hopped = None
        if not context:
            names = written_as_names(own, [p.text for p in passages])
            hopped = answer_in_hops(own, lambda asked: self._search(asked, top_k, only), names)
        if hopped is not None:
            citations = hopped.draft.citations
            documents = self.store.get_documents([c.source for c in citations])
            shown = merged(passages, hopped.passages)
            return _Drafted(hopped.draft, shown, hopped.passages, documents, hopped.searches)
        if asks_overview(own):  # "what's the gist of ...?": its page's opening, cited
            passages = with_openings(passages, self.store, self.settings.answer_passages)
        lexicon = self.retriever.lexicon()
        if of_page:  # "who wrote it?": the page last answered from
            quoted = earlier.citations if (earlier := self._earlier(query, top_k, only)) else []
            for source in dict.fromkeys(citation.source for citation in quoted):
                paged = page_passages(passages, self.store, source)
                documents = self._documents(paged)
                answer = partial(self.engine.answer, question_vector=vector, passages=paged,
                                 documents=documents, lexicon=lexicon)  # fmt: skip
                draft = page_fact(own, [context, paged[0].title if paged else context], answer)
                if not draft.abstained:  # else the next page it cites (this one names no
                    shown = merged(passages, paged[: self.settings.answer_passages])  # writer)
                    return _Drafted(draft, shown, paged, documents, [])
            own = own if quoted else of_page_named(own, context)  # "who wrote that piece?"
        if context and asks_on_page(own):  # "what did they do after?": the story on;
            earlier = self._earlier(query, top_k, only)  # "whats the takeaway then?": advice
            if earlier is None:  # no turn found anything to go on from
                return _Drafted(Draft(ABSTAIN_TEXT, [], True, 0.0), passages, passages, {}, [])
            room = self.settings.max_answer_sentences
            told = told_on_page(own, earlier, passages, self.store, self.engine.outline, room)
            if told is not None:
                said, paged, documents = told
                return _Drafted(said, merged(passages, paged[:1]), paged, documents, [])
        documents = self._documents(passages)
        draft = self.engine.answer(own, vector, passages, documents, lexicon, context)
        if not context:
            hopped = answer_via_bridge(own, draft, lambda asked: self._search(asked, top_k, only))
        elif draft.abstained and not leans_back(own):  # "and when did the talks about the
            alone, found = self._search(own, top_k, only)  # next model kick off?": the earlier
            if not found.abstained:  # turns' words drowned a question complete on its own
                cited = self.store.get_documents([c.source for c in found.citations])
                return _Drafted(found, merged(passages, alone), alone, cited, [own])
        if hopped is not None:
            citations = hopped.draft.citations
            documents = self.store.get_documents([c.source for c in citations])
            shown = merged(passages, hopped.passages)
            return _Drafted(hopped.draft, shown, hopped.passages, documents, hopped.searches)
        return _Drafted(draft, passages, passages, documents, [])

    def _each_part(
        self, parts: tuple[str, str], top_k: int, only: Selection | None, context: str
    ) -> _Drafted | None:
        """Each part answered (the first as a follow-up of `context`, if any, the second of
        the first), the answers joined; None when either part finds no answer."""

        def drafted(asked: str) -> _Drafted:
            vector = self.embed_model.embed([asked])[0]
            passages = self.retriever.retrieve(asked, top_k, vector, only)
            return self._draft(asked, vector, passages, top_k, only)

        asked = rule_based(parts[0], context.split("\n")[:1]) if context else parts[0]
        if (first := drafted(asked)).draft.abstained:
            return None
        named, person = thing_answered(parts[0], first.draft), person_answered(first.draft)
        second = drafted(  # "... and what's it used for?": of the name the first gives
            rule_based(parts[1], [asked], lambda _: person, thing_named=lambda _: named)
        )  # ("Claude Gov"); "... and what did he want?": of the person ("Pete Hegseth")
        if second.draft.abstained:
            return None
        draft = joined(first.draft, second.draft)
        documents = self.store.get_documents([c.source for c in draft.citations])
        shown = merged(first.passages, second.passages)
        return _Drafted(draft, shown, merged(first.answered_from, second.answered_from),
                        documents, [*first.searches, *parts, *second.searches])  # fmt: skip

    def _documents(self, passages: list[Passage]) -> dict[str, Document]:
        """The documents of the passages an answer draws on (the first answer_passages)."""
        shown = passages[: self.settings.answer_passages]
        return self.store.get_documents([p.source for p in shown])

    def _person_answered(self, question: str, top_k: int, only: Selection | None) -> str | None:
        """The person an earlier who-question's answer names (rag.turns), or None."""
        return person_answered(self._search(question, top_k, only)[1])

    def _called_a_person(self, name: str, only: Selection | None) -> bool:
        """Whether the passages found for `name` call it a person (rag.turns)."""
        vector = self.embed_model.embed([name])[0]
        return called_a_person(name, self.retriever.retrieve(name, _NAME_PASSAGES, vector, only))

    def _earlier(self, query: str, top_k: int, only: Selection | None) -> Draft | None:
        """The answer to the turn a follow-up leans on, or to the one before it when that
        found nothing ("is there a legal angle?" before "who wrote that piece?"); None when
        none of them found anything."""
        leaned = query
        for _ in range(_TURNS_BACK):
            if FOLLOWING_UP not in leaned:
                break
            leaned = leaned.partition(f" {FOLLOWING_UP} ")[2][:-1]
            earlier = self._in_context(leaned, top_k, only).draft
            if not earlier.abstained:
                return earlier
        return None

    def _in_context(self, question: str, top_k: int, only: Selection | None) -> _Drafted:
        """The draft of a question put as a follow-up of an earlier turn it may lean on."""
        vector = self.embed_model.embed([question])[0]
        passages = self.retriever.retrieve(question, top_k, vector, only)
        return self._draft(question, vector, passages, top_k, only)

    def _search(
        self, question: str, top_k: int, only: Selection | None
    ) -> tuple[list[Passage], Draft]:
        """One more search, and the extractive answer from what it found (rag.hops); an
        earlier turn's standalone form is answered as that turn was, its own words first."""
        lexicon = self.retriever.lexicon()  # as the question asked: "timeline check: when ...?"
        question = corrected(written_out(without_preamble(question)), lexicon)
        vector = self.embed_model.embed([question])[0]
        passages = self.retriever.retrieve(question, top_k, vector, only)
        documents = self._documents(passages)
        own, context = split_context(question)
        draft = self.engine.answer(own, vector, passages, documents, lexicon, context)
        return passages, draft

    def _finish(
        self,
        question: str,
        rewritten: str | None,
        draft: Draft,
        passages: list[Passage],
        engine: str,
        notice: str | None,
    ) -> Answer:
        """Verify the draft sentence by sentence; nothing supported means abstaining."""
        answer = Answer(
            question=question,
            standalone_question=rewritten,
            answer=ABSTAIN_TEXT,
            abstained=True,
            retrieved=passages,
            engine=engine,
            support=0.0,
            evidence=draft.support,
            notice=notice,
        )
        if draft.abstained:
            return answer
        checked = verify(
            draft.answer,
            {c.n: c.quote for c in draft.citations},
            self.embed_model.embed,
            remove_unsupported=self.settings.unsupported == "remove",
        )
        if not any(s.supported for s in checked.sentences):
            answer.sentences = checked.sentences
            return answer
        shown = [s for s in checked.sentences if s.supported or not checked.removed]
        used = {n for s in shown for n in s.citations}
        answer.answer = checked.text
        answer.abstained = False
        answer.short_answer = draft.short_answer
        answer.citations = [c for c in draft.citations if c.n in used]
        answer.sentences = checked.sentences
        answer.support = checked.support
        return answer
