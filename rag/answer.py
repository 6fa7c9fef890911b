"""The extractive engine: the answer is the retrieved sentences that best answer the question,
each block cited to its exact span; too little support and it abstains instead."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np

from rag.asides import without_asides
from rag.blocks import Block, grow_block, holds_list, supporting
from rag.captions import PHOTO_WORDS, asks_about_photo, caption_answer
from rag.compose import Draft, compose
from rag.definitions import defining_first
from rag.doers import demote_swapped
from rag.forms import Form, answer_form, asks_sources, asks_time, fits_question
from rag.insisted import lacks_insisted_kind
from rag.lexical import Lexicon
from rag.likened import likeness_words, likening_first
from rag.listed import LISTED_QUESTION, list_heading_first, section_first
from rag.names import missing_name, spelled_out, with_acronyms
from rag.others import other_item, set_aside
from rag.outline import Candidate, Outline
from rag.overview import asks_overview, overview_blocks, overview_words
from rag.owners import holder_said, owned_by_other, owner_first, owner_said, owner_unsaid
from rag.page_facts import PAGE_WORDS, PageFact, asked_fact, page_fact, tells_of
from rag.questions import Kind, Shape, classify
from rag.reader import WordVectors, states_count
from rag.reworded import reworded_meaning
from rag.said_first import promoted, quoting_first, verb_said_first, without_non_answers
from rag.scoped import described_by, page_words, scoped, without_page
from rag.scoring import (
    SIMILARITY_POOL,
    evidence,
    own_evidence,
    said_otherwise,
    says_sum,
    score_candidates,
    topical_similarity,
    typed_leads,
    vouched_for,
)
from rag.sentences import SentenceVectors
from rag.short import find_short_answer
from rag.sole import only_first
from rag.text import terms
from rag.timeline import dated_row, row_dated_as_asked, timeline_block
from rag.types import Document, Passage, ShortAnswer
from rag.verify import verify
from rag.weights import term_weights, wanted_terms
from rag.yes_no import denial_first

ABSTAIN_TEXT = "I couldn't find that in the documents."
_SIMILARITY_WEIGHT = 1.0
_COMPARED_COVERAGE = 0.1  # what a sentence of the asked-for shape outside the pool must say
_UNCOUNTED = 0.5  # evidence kept when a how-many question's lead counts something else
_TIME_REACH = 0.5  # share of the best score a when-question's lead (naming a time) may score
_DATES = (PageFact.PUBLISHED, PageFact.UPDATED, PageFact.DATED)


class ExtractiveEngine:
    """Answers with the question's best-supported sentences, lead sentence first."""

    def __init__(
        self,
        embed: Callable[[list[str]], np.ndarray],
        answer_passages: int,
        max_sentences: int,
        min_support: float,
        sentence_vectors: SentenceVectors | None = None,
    ) -> None:
        """`sentence_vectors`: the stored sentence vectors (else embedded when met)."""
        self.embed = embed
        self.answer_passages = answer_passages
        self.max_sentences = max_sentences
        self.min_support = min_support
        self.sentence_vectors = sentence_vectors
        self.word_vectors = WordVectors(embed)
        self._outlines: dict[str, Outline] = {}

    def answer(
        self,
        question: str,
        question_vector: np.ndarray,
        passages: list[Passage],
        documents: dict[str, Document],
        lexicon: Lexicon,
        context: str = "",
        page: bool = True,
    ) -> Draft:
        """Pick the lead sentence by question-term coverage (rare terms weigh more) plus
        embedding similarity; abstain when neither supports it or a name is missing.
        `context` (the question a follow-up leans on) counts at half weight; `page`: a
        question about a document itself (who wrote it) may be answered from the page."""
        overview = asks_overview(question)  # "summarise the wired piece": as typed
        typed, question = question, without_asides(question)  # "who started it in the first
        idiom = bool(set(terms(question)) - set(terms(typed)))  # place?"; an idiom as pages say
        context = without_asides(context)  # its idioms too: "pull the plug" is "cut off"
        question = spelled_out(question, documents)  # "the dnc": "the Democratic National ..."
        question = with_acronyms(question, documents)  # "acceptable use policy (AUP)"
        again = partial(self.answer, question, question_vector, passages, documents, lexicon)
        form = answer_form(question)
        shape = classify(question)
        fact = asked_fact(question) if page else None
        shape_words = (form.words if form else frozenset()) | shape.shape_words
        shape_words |= likeness_words(question)  # "what comparison did they make?"
        if fact is not None:
            shape_words |= PAGE_WORDS
        if overview:  # "what's the gist of ...?": no sentence says gist
            shape_words |= overview_words(question)
        photo = page and asks_about_photo(question)
        if photo:
            shape_words |= PHOTO_WORDS | PAGE_WORDS  # "the photo in the article": the photo
        wanted = wanted_terms(question, shape_words)
        weights = term_weights(wanted, context, lexicon, question, shape_words)
        candidates = self._candidates(passages[: self.answer_passages], documents)
        ranking, meant, page_named = weights, question_vector, frozenset[str]()
        if fact is None and not asks_sources(question):  # "according to the campaign
            kept, ranking = scoped(question, candidates, weights)  # article, ...": its
            if kept is not candidates:  # sentences, ranked without the page's words
                leaned = context.split("\n")[0]  # a follow-up means what it leans on too
                meant = self.embed([f"{without_page(question)} {leaned}".strip()])[0]
                candidates, page_named = kept, page_words(question)
        if not weights or not candidates:
            return _abstain(0.0)
        opens = overview and overview_blocks(
            question, weights, candidates, passages, self.outline, documents
        )
        if opens:
            return compose(opens[0], passages, opens[1], None)  # the page's opening
        if photo and not missing_name(question, documents):
            read = [
                (self.outline(documents[p.source]), p) for p in passages[: self.answer_passages]
            ]
            if (captioned := caption_answer(question, weights, read, passages)) is None:
                return again(context, False)  # no caption: "an image one" asks of "generate
            return captioned  # images"
        score_candidates(candidates, ranking, passages[0].score, weights, question, page_named)
        compared = said_otherwise(shape, shape.kind is Kind.WHEN and asks_time(question))
        texts = [p.text for p in passages[: self.answer_passages]]  # "pointless" in their
        alike = reworded_meaning(question, texts, self.embed) if meant is question_vector else []
        alike += [self.embed([question])[0]] if idiom and meant is question_vector else []  # it
        # is compared in meaning so written too (the scoped vector has no page words to add)
        self._add_similarity([meant, *alike], candidates, form.compare if form else compared)
        topical = max(topical_similarity(v, candidates) for v in [question_vector, *alike])
        ranked = demote_swapped(question, sorted(candidates, key=lambda c: -c.score))
        ranked = without_non_answers(question, ranked)
        if (saying := verb_said_first(shape, question, ranked)) is not None:
            ranked = promoted(saying, ranked)  # "how did they catch ...?": what says they
            form = None  # caught it, not any means
        ranked = promoted(quoting_first(shape, ranked), ranked)
        outranked = ranked[0] if ranked else None  # its evidence holds for what leads instead
        likening = likening_first(question, ranked)
        ranked = promoted(likening, ranked)  # "like a telephone"
        leads = (only_first, owner_first) + ((denial_first,) if shape.kind is Kind.YES_NO else ())
        for leading in leads:  # "the only one", "openai's rule on ...", "is it ...?": in turn
            ranked = promoted(leading(question, ranked), ranked)
        if (other := other_item(question, ranked)) is not None:
            ranked.insert(0, other)  # "apart from A and B, what's the other ...?"
        if heading := list_heading_first(question, ranked) or section_first(question, ranked):
            ranked.insert(0, heading)  # a list's heading ("... Afraid Of"), a section's
        if (defining := defining_first(shape, ranked)) is not None:
            ranked.insert(0, defining)  # "what's X?": what says what X is
        titled = 0.0  # the share of the question's topic the title of the page asked of holds
        if fact is not None:  # the page names the writer: no sentence need name a person
            (ranked, titled) = described_by(question, ranked, weights)  # the page gives the
            shape = Shape(Kind.OTHER if fact in _DATES else shape.kind)  # fact: no lead need
        elif asks_sources(question):  # "the source for the trump reversal story": its list
            (ranked, titled) = described_by(question, ranked, weights)
        others = set_aside(question, context, texts, shape.labels, ranked)  # "who else ...?"
        # the page dates what a follow-up asks of ("when is it from?"): no time in its lead
        of_text = "" if fact in _DATES and context else question
        chosen = self._typed_lead(of_text, shape, ranked, frozenset(wanted), form, topical, others)
        if chosen is None:
            return _abstain(0.0)
        support, first, top_score = chosen
        support = max(support, titled)  # "the ars story on trump banning anthropic": its title
        if likening is not None and outranked is not None:  # the likening sentence answers
            support = max(support, evidence(grow_block(outranked, 1, []), topical))
        if states_count(question, first, self.word_vectors) is False:
            support = round(support * _UNCOUNTED, 4)
        if support < self.min_support or missing_name(question, documents):
            return _abstain(support)
        if fact is not None:
            stated = self._page_fact(question, fact, first, passages, support)
            return stated if stated is not None else again(context, False)  # the document
            # asked about is one the text tells of
        if (rows := timeline_block(question, ranked)) is not None:  # "give me the timeline"
            blocks = supporting(rows, ranked, top_score, self.max_sentences)
            return compose(blocks, passages, support, None)
        if (dated := row_dated_as_asked(question, ranked)) is not None:  # "what happened in
            event, row = dated  # March 2026?": that row's event
            blocks = supporting(row, ranked, top_score, self.max_sentences)
            return compose(blocks, passages, support, event)
        blocks = supporting(first, ranked, top_score, self.max_sentences)
        named = shape.shape_words if shape.kind is Kind.WHICH else frozenset()
        named |= others
        asked = frozenset(wanted) - (weights.keys() - ranking.keys())  # not the page's name
        short = self._short_answer(shape, question, asked | named, blocks)
        if lacks_insisted_kind(question, blocks[0], short, shape):
            return _abstain(support)  # "which judge ruled ...?" and no one is named
        if owned_by_other(question, blocks[0]) or owner_unsaid(question, blocks[0]):
            return _abstain(support)  # "Google's CEO": "Anthropic's CEO" is no answer
        return compose(blocks, passages, support, short)

    def _typed_lead(
        self,
        question: str,
        shape: Shape,
        ranked: list[Candidate],
        asked: frozenset[str],
        form: Form | None,
        topical: float,
        others: frozenset[str],
    ) -> tuple[float, Block, float] | None:
        """The evidence, the lead block and the best score. The evidence is the best
        sentence's (with the passages' `topical` similarity); a question asking for a kind of
        entity (a person, a date, an amount, a place) is led by the best sentence naming one
        when its own evidence (without `topical`) clears the bar
        (on ClapNQ, the named kind's presence does not tell answerable questions from
        unanswerable ones, so it decides what leads, not whether to answer). An asked-for
        shape (a references list, a reason) comes first; a list asked for, led by a block
        holding one, is answered on that block's evidence when it is higher."""
        timed = shape.kind is Kind.WHEN and asks_time(question)  # not a page's date
        best, first = self._lead(question, ranked, asked, form, timed)
        if best is None or first is None:
            return None
        support = evidence(best, topical)
        if first is not best and LISTED_QUESTION.search(question) and holds_list(first):
            support = max(support, evidence(first, topical))  # "list the topics ...": the
            # list the best heading stands over, itself a heading that says nothing alone
        unasked = frozenset(terms(question)) | others
        typed = typed_leads(shape, question, ranked, unasked) if form is None else []
        if typed:
            best_typed, first_typed = self._lead(question, typed, asked, form)
            clears = best_typed is not None and (
                own_evidence(best_typed) >= self.min_support or vouched_for(shape, typed[0], ranked)
            )
            if clears and first_typed is not None:
                return support, first_typed, best.lead.score
        return support, first, best.lead.score

    def _page_fact(
        self, question: str, fact: PageFact, first: Block, passages: list[Passage], support: float
    ) -> Draft | None:
        """Who wrote (or when was published) the document the question describes: the page's
        word on it, then the sentence showing which document; none, no answer. None when the
        lead names the asked document ("Amodei penned a blog post"): a text's subject."""
        if tells_of(question, first, fact):
            return None
        found = page_fact(fact, first, passages)
        if found is None:
            return _abstain(support)
        short, stated = found
        return compose([stated, first], passages, support, short)

    def _short_answer(
        self, shape: Shape, question: str, asked: frozenset[str], blocks: list[Block]
    ) -> ShortAnswer | None:
        """The short answer the text leads with, its block moved first; dropped when it would
        not pass verification against that block (a rewording the block does not back) or
        the block does not name whose thing the question asks about."""
        found = find_short_answer(shape, question, asked, blocks)
        dated = shape.labels[:1] == ("DATE",)  # "when ...?", "in which month ...?"
        vague = found is not None and found[0].text.strip().isdigit()  # "2026": the row's
        if (found is None or vague) and dated and (row := dated_row(asked, blocks[0])):  # "April
            blocks.append(row[1])  # 2026": the page's timeline dates the event its lead tells
            found = row[0], len(blocks) - 1
        entity = bool(shape.labels)
        said_sum = shape.kind is Kind.AMOUNT and found is not None and says_sum(found[0].text)
        money = shape.labels == ("MONEY",) or said_sum  # "how much was it?": "$200 million"
        if found is None or not owner_said(question, blocks[found[1]], found[0], entity, money):
            return None
        if money and not holder_said(question, blocks[found[1]], found[0]):
            return None  # "how much did the campaign spend?": not the Pentagon deal's sum
        short, index = found
        block = blocks.pop(index)
        blocks.insert(0, block)
        quote = block.lead.outline.text[block.start : block.end]
        checked = verify(f"{short.text} [1]", {1: quote}, self.embed)
        return short if all(s.supported for s in checked.sentences) else None

    def _lead(
        self,
        question: str,
        ranked: list[Candidate],
        asked: frozenset[str],
        form: Form | None,
        timed: bool = False,
    ) -> tuple[Block | None, Block | None]:
        """The best block that fits the question, and the block to lead with: the first one
        of the asked-for shape (a list, a reason, a references entry) scoring at least the
        form's floor share of the best, else the best itself. `timed` (a when-question): the
        best block naming a time must score at least _TIME_REACH of the best candidate."""
        best: Block | None = None
        shaped: Block | None = None
        top = max((c.score for c in ranked), default=0.0)  # a lead moved first may score less
        for candidate in ranked:
            if best is None and timed and candidate.score < _TIME_REACH * top:
                break  # "when did trump reverse course?": a time far down the ranking is no answer
            if best is not None and (
                form is None or candidate.score < form.floor * best.lead.score
            ):
                break
            block = grow_block(candidate, self.max_sentences, [])
            if not fits_question(question, block, asked, partial(dated_row, asked, block)):
                continue  # (a when-question: a time, or the page's timeline dates it)
            if best is None:
                best = block
            if form is not None and form.fits(block, best):
                shaped = block
                break
        if best is None:
            return None, None
        return best, self._surest(question, ranked, asked, form, best) or shaped or best

    def _surest(
        self,
        question: str,
        ranked: list[Candidate],
        asked: frozenset[str],
        form: Form | None,
        best: Block,
    ) -> Block | None:
        """The first block of the form's surest shape scoring at least its floor share of
        the best, if the form has one."""
        if form is None or form.surest is None:
            return None
        for candidate in ranked:
            if candidate.score < form.surest_floor * best.lead.score:
                return None
            block = grow_block(candidate, self.max_sentences, [])
            if form.surest(block) and fits_question(question, block, asked):
                return block
        return None

    def _add_similarity(
        self,
        meanings: list[np.ndarray],
        candidates: list[Candidate],
        compare: Callable[[str], bool] | None = None,
    ) -> None:
        """Cosine similarity to the question (the closest of its `meanings`: as typed, and in
        the passages' words) for the lexically best sentences and the ones right after them
        (answers often follow the sentence that restates the question), and the others of
        the asked-for shape (`compare`: a status) that have a stored vector; sentence vectors
        are cached per document version."""
        by_score = sorted(candidates, key=lambda c: -c.score)
        chosen = {id(c): c for c in by_score[:SIMILARITY_POOL]}
        position = {(c.passage.source, c.index): c for c in candidates}
        for candidate in by_score[: SIMILARITY_POOL // 2]:
            following = position.get((candidate.passage.source, candidate.index + 1))
            if following is not None:
                chosen[id(following)] = following
        if compare is not None:  # the asked-for shape said in other words, on stored vectors
            for candidate in by_score[SIMILARITY_POOL:]:
                if (
                    candidate.coverage >= _COMPARED_COVERAGE
                    and candidate.index in candidate.outline.vectors
                    and compare(candidate.outline.unit_text(candidate.index))
                ):
                    chosen[id(candidate)] = candidate
        missing = [c for c in chosen.values() if c.index not in c.outline.vectors]
        if missing:
            vectors = self.embed([c.outline.meaning_text(c.index) for c in missing])
            for candidate, vector in zip(missing, vectors, strict=True):
                candidate.outline.vectors[candidate.index] = vector
        for candidate in chosen.values():
            vector = candidate.outline.vectors[candidate.index]
            candidate.similarity = max(float(vector @ meaning) for meaning in meanings)
            candidate.score += _SIMILARITY_WEIGHT * candidate.similarity

    def outline(self, document: Document) -> Outline:
        """The document's sentences and their vectors, kept for the last 256 pages read."""
        outline = self._outlines.get(document.content_hash)
        if outline is None:
            if len(self._outlines) >= 256:
                self._outlines.pop(next(iter(self._outlines)))
            outline = self._outlines[document.content_hash] = Outline(document)
            if self.sentence_vectors is not None and outline.units:
                spans = [outline.meaning_span(i) for i in range(len(outline.units))]
                saved = self.sentence_vectors.load(outline.version, spans)
                outline.vectors.update((i, v) for i, v in enumerate(saved) if v is not None)
        return outline

    def _candidates(
        self, passages: list[Passage], documents: dict[str, Document]
    ) -> list[Candidate]:
        found: dict[tuple[str, int], Candidate] = {}
        for passage in passages:
            outline = self.outline(documents[passage.source])
            for index in outline.within(passage.start_char, passage.end_char):
                if not outline.units[index].is_furniture and outline.shows_words(index):
                    found.setdefault((passage.source, index), Candidate(passage, outline, index))
        return list(found.values())


def _abstain(support: float) -> Draft:
    return Draft(ABSTAIN_TEXT, [], True, support)
