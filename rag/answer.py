"""The extractive engine: the answer is the retrieved sentences that best answer the question,
each block cited to its exact span; too little support and it abstains instead."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rag.retrieve import Lexicon
from rag.text import sentence_spans, terms
from rag.types import Citation, Document, Passage

ABSTAIN_TEXT = "I couldn't find that in the documents."
_LINE = re.compile(r"[^\n]+")
_QUESTION_FRAMING = frozenset(
    terms(
        "article articles describe described mention mentioned document documents passage "
        "text say says said state stated"
    )
)
_REFERS_BACK = re.compile(
    r"^(then|but|however|so|also|still)\b|^(\S+\s+){0,9}?"
    r"(this|these|those|such|they|them|their|it|its|he|she|his|her)\b",
    re.IGNORECASE,
)
_NUMBER_QUESTION = re.compile(
    r"\b(how (many|much|old|long|far)|what (percentage|share|proportion|number|amount))\b",
    re.IGNORECASE,
)
_TIME_QUESTION = re.compile(r"^\s*(when\b|what (year|date|month|day)\b)", re.IGNORECASE)
_NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty"
    r"|fifty|hundred|thousand|million|billion|dozen|dozens|several|half)\b",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"\d|\b(january|february|march|april|may|june|july|august|september|october|november"
    r"|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today"
    r"|week|month|year|ago|earlier|later)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b[A-Z][\w'’-]*[A-Za-z0-9]|\b[A-Z]\b")
_POSSESSIVE = re.compile(r"['’]s?$")
_NAME_EXCEPTIONS = frozenset({"i", "a"})
_SIMILARITY_POOL = 12
_SIMILARITY_WEIGHT = 1.0
_BLOCK_WORDS = 40  # a block stops growing past this many words
_URL = re.compile(r"\]\([^)]*\)|https?://\S+")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINE_MARKUP = re.compile(r"^(?:#{1,6}\s+|[-*+•]\s+|>\s*|\d+[.)]\s+)+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class _Unit:
    """One sentence of a document, with the heading it sits under."""

    start: int
    end: int
    paragraph: int
    is_heading: bool
    heading: int | None
    words: frozenset[str]
    refers_back: bool


class _Outline:
    """A document as sentences grouped in paragraphs under headings; computed once per
    document version."""

    def __init__(self, document: Document) -> None:
        text = self.text = document.text
        units: list[_Unit] = []
        heading: int | None = None
        paragraph = 0
        for line in _LINE.finditer(text, document.body_start):
            spans = sentence_spans(text, line.start(), line.end())
            if not spans:
                continue
            paragraph += 1
            is_heading = len(spans) == 1 and _looks_like_heading(text, line.start(), line.end())
            for start, end in spans:
                sentence = text[start:end]
                units.append(
                    _Unit(
                        start,
                        end,
                        paragraph,
                        is_heading,
                        heading,
                        frozenset(terms(sentence)),
                        bool(_REFERS_BACK.match(sentence)),
                    )
                )
            if is_heading:
                heading = len(units) - 1
        self.units = units
        self.vectors: dict[int, np.ndarray] = {}
        self._starts = [unit.start for unit in units]

    def unit_text(self, index: int) -> str:
        unit = self.units[index]
        return self.text[unit.start : unit.end]

    def word_count(self, index: int) -> int:
        return len(self.unit_text(index).split())

    def meaning_text(self, index: int) -> str:
        """What a sentence means in place, for embedding: a heading with the start of its
        section, a sentence that refers back with the sentence before it."""
        parts = [self.unit_text(index)]
        unit = self.units[index]
        if unit.is_heading:
            following, words = index + 1, 0
            while following < len(self.units) and not self.units[following].is_heading:
                if words >= _BLOCK_WORDS:
                    break
                parts.append(self.unit_text(following))
                words += self.word_count(following)
                following += 1
        elif unit.refers_back and index > 0:
            parts.insert(0, self.unit_text(index - 1))
        return "\n".join(parts)

    def within(self, start: int, end: int) -> range:
        """Indices of the units inside text[start:end]."""
        return range(bisect.bisect_left(self._starts, start), bisect.bisect_left(self._starts, end))


def _looks_like_heading(text: str, start: int, end: int) -> bool:
    """A short line without closing punctuation, set apart by blank lines."""
    line = text[start:end].strip()
    before = text[max(start - 3, 0) : start].replace("\r", "")
    after = text[end : end + 3].replace("\r", "")
    return (
        len(line.split()) <= 12
        and not line.endswith((".", "!", "?", ",", ";", "”", '"'))
        and (before.endswith("\n\n") or start < 3)
        and (after.startswith("\n\n") or end >= len(text.rstrip()))
    )


@dataclass
class _Candidate:
    """A sentence of a retrieved passage, scored against the question."""

    passage: Passage
    outline: _Outline
    index: int
    score: float = 0.0
    coverage: float = 0.0
    similarity: float = 0.0

    @property
    def unit(self) -> _Unit:
        return self.outline.units[self.index]

    def context_words(self) -> frozenset[str]:
        heading = self.unit.heading
        heading_words = self.outline.units[heading].words if heading is not None else frozenset()
        return heading_words | frozenset(terms(self.passage.title))

    def antecedent_words(self) -> frozenset[str]:
        """The previous sentence's words when this one refers back to it ("in these ways")."""
        if not self.unit.refers_back or self.index == 0:
            return frozenset()
        return self.outline.units[self.index - 1].words


@dataclass
class _Block:
    """Consecutive sentences of one document, cited together."""

    lead: _Candidate
    indices: list[int]

    @property
    def units(self) -> list[_Unit]:
        return [self.lead.outline.units[i] for i in self.indices]

    @property
    def start(self) -> int:
        return self.units[0].start

    @property
    def end(self) -> int:
        return self.units[-1].end

    @property
    def words(self) -> frozenset[str]:
        return frozenset().union(*(unit.words for unit in self.units))


@dataclass(frozen=True)
class Draft:
    """What an engine returns before timing and retrieval details are attached."""

    answer: str
    citations: list[Citation]
    abstained: bool
    support: float


class ExtractiveEngine:
    """Answers with the question's best-supported sentences, lead sentence first."""

    def __init__(
        self,
        embed: Callable[[list[str]], np.ndarray],
        answer_passages: int,
        max_sentences: int,
        min_support: float,
    ) -> None:
        self.embed = embed
        self.answer_passages = answer_passages
        self.max_sentences = max_sentences
        self.min_support = min_support
        self._outlines: dict[str, _Outline] = {}

    def answer(
        self,
        question: str,
        question_vector: np.ndarray,
        passages: list[Passage],
        documents: dict[str, Document],
        lexicon: Lexicon,
        context: str = "",
    ) -> Draft:
        """Pick the lead sentence by question-term coverage (rare terms weigh more) plus
        embedding similarity; abstain when neither supports it or a name is missing.
        `context` (the question a follow-up leans on) counts at half weight."""
        wanted = [t for t in dict.fromkeys(terms(question)) if t not in _QUESTION_FRAMING]
        weights = {term: lexicon.idf(term) for term in wanted}
        for term in terms(context):
            if term not in weights and term not in _QUESTION_FRAMING:
                weights[term] = 0.5 * lexicon.idf(term)
        total = sum(weights.values())
        candidates = self._candidates(passages[: self.answer_passages], documents)
        if not weights or not candidates:
            return _abstain(0.0)

        def coverage(words: frozenset[str]) -> float:
            return sum(weight for term, weight in weights.items() if term in words) / total

        top_score = max(passages[0].score, 1e-9)
        passage_words = {c.passage.chunk_id: frozenset(terms(c.passage.text)) for c in candidates}
        for candidate in candidates:
            own = candidate.unit.words
            antecedent = candidate.antecedent_words() - own
            candidate.coverage = coverage(own | antecedent | candidate.context_words())
            candidate.score = (
                coverage(own)
                + 0.5 * coverage(antecedent)
                + 0.3 * coverage(candidate.context_words() - own - antecedent)
                + 0.2 * coverage(passage_words[candidate.passage.chunk_id])
                + 0.1 * max(candidate.passage.score, 0.0) / top_score
            )
        self._add_similarity(question_vector, candidates)
        ranked = sorted(candidates, key=lambda c: -c.score)
        asked = frozenset(wanted)
        first = next(
            (
                block
                for block in (self._block(c, self.max_sentences, []) for c in ranked)
                if _fits_question(question, block, asked)
            ),
            None,
        )
        if first is None:
            return _abstain(0.0)
        lead = first.lead
        support = round((lead.coverage + lead.similarity) / 2, 4)
        if support < self.min_support or _missing_name(question, documents):
            return _abstain(support)
        blocks = [first]
        used = len(first.indices)
        for other in ranked:
            if used >= self.max_sentences or other.score < 0.8 * lead.score:
                break
            if any(
                _overlaps(other, block) or _similar(other.unit.words, block.words)
                for block in blocks
            ):
                continue
            blocks.append(self._block(other, self.max_sentences - used, blocks))
            used += len(blocks[-1].indices)
        return _compose(blocks, passages, support)

    def _add_similarity(self, question_vector: np.ndarray, candidates: list[_Candidate]) -> None:
        """Cosine similarity to the question for the lexically best sentences and the ones
        right after them (answers often follow the sentence that restates the question);
        sentence vectors are cached per document version."""
        by_score = sorted(candidates, key=lambda c: -c.score)
        chosen = {id(c): c for c in by_score[:_SIMILARITY_POOL]}
        position = {(c.passage.source, c.index): c for c in candidates}
        for candidate in by_score[: _SIMILARITY_POOL // 2]:
            following = position.get((candidate.passage.source, candidate.index + 1))
            if following is not None:
                chosen[id(following)] = following
        missing = [c for c in chosen.values() if c.index not in c.outline.vectors]
        if missing:
            vectors = self.embed([c.outline.meaning_text(c.index) for c in missing])
            for candidate, vector in zip(missing, vectors, strict=True):
                candidate.outline.vectors[candidate.index] = vector
        for candidate in chosen.values():
            vector = candidate.outline.vectors[candidate.index]
            candidate.similarity = float(vector @ question_vector)
            candidate.score += _SIMILARITY_WEIGHT * candidate.similarity

    def _outline(self, document: Document) -> _Outline:
        outline = self._outlines.get(document.content_hash)
        if outline is None:
            if len(self._outlines) >= 256:
                self._outlines.pop(next(iter(self._outlines)))
            outline = self._outlines[document.content_hash] = _Outline(document)
        return outline

    def _candidates(
        self, passages: list[Passage], documents: dict[str, Document]
    ) -> list[_Candidate]:
        found: dict[tuple[str, int], _Candidate] = {}
        for passage in passages:
            outline = self._outline(documents[passage.source])
            for index in outline.within(passage.start_char, passage.end_char):
                found.setdefault((passage.source, index), _Candidate(passage, outline, index))
        return list(found.values())

    def _block(self, lead: _Candidate, room: int, taken: list[_Block]) -> _Block:
        """The lead sentence, the one before it when it refers back to it, and the sentences
        after it in its paragraph (under a heading: its section) while the block is short;
        a short block also takes a next paragraph that refers back to it. Sentences already
        in `taken` blocks are not repeated."""
        units = lead.outline.units
        unit = lead.unit
        used = {(b.lead.passage.source, i) for b in taken for i in b.indices}
        source = lead.passage.source

        def free(index: int) -> bool:
            return 0 <= index < len(units) and (source, index) not in used

        indices = [lead.index]
        if room > 1 and unit.refers_back and free(lead.index - 1):
            indices.insert(0, lead.index - 1)
        words = sum(lead.outline.word_count(i) for i in indices)
        following = lead.index + 1
        while free(following) and len(indices) < room and words < _BLOCK_WORDS:
            after, before = units[following], units[following - 1]
            continues = (
                after.paragraph == before.paragraph
                or (unit.is_heading and not after.is_heading)
                or (after.refers_back and words < _BLOCK_WORDS // 2)
            )
            if not continues:
                break
            indices.append(following)
            words += lead.outline.word_count(following)
            following += 1
        return _Block(lead, indices)


def _abstain(support: float) -> Draft:
    return Draft(ABSTAIN_TEXT, [], True, support)


def _fits_question(question: str, block: _Block, asked: frozenset[str]) -> bool:
    """A lead block must say more than the question (a title restating it does not); in a
    how-many question the lead sentence needs a number, in a when-question a time."""
    if not block.words - asked:
        return False
    candidate = block.lead
    text = _URL.sub(" ", candidate.outline.unit_text(candidate.index))
    if _NUMBER_QUESTION.search(question):
        return bool(_NUMBER.search(text))
    if _TIME_QUESTION.search(question):
        return bool(_TIME.search(text))
    return candidate.score > 0


def _missing_name(question: str, documents: dict[str, Document]) -> bool:
    """A capitalised name in the question (not its first word) that none of the retrieved
    documents contains: the documents are about something else."""
    words = [_POSSESSIVE.sub("", word) for word in _NAME.findall(question)[1:]]
    texts = [document.text.lower() for document in documents.values()]
    return any(
        word.lower() not in _NAME_EXCEPTIONS and not any(word.lower() in t for t in texts)
        for word in words
    )


def _overlaps(candidate: _Candidate, block: _Block) -> bool:
    unit = candidate.unit
    same_source = candidate.passage.source == block.lead.passage.source
    return same_source and unit.start < block.end and block.start < unit.end


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a and b) and len(a & b) / len(a | b) > 0.6


def _compose(blocks: list[_Block], passages: list[Passage], support: float) -> Draft:
    parts: list[str] = []
    citations: list[Citation] = []
    for n, block in enumerate(blocks, start=1):
        passage = _covering(block, passages)
        text = block.lead.outline.text
        pieces = [clean_for_display(text[unit.start : unit.end]) for unit in block.units]
        joined = pieces[0]
        for before, piece in zip(block.units, pieces[1:], strict=False):
            closed = text[before.end - 1] in ".!?…”\"')"
            joined += (" " if closed else ": ") + piece
        parts.append(f"{joined} [{n}]")
        citations.append(
            Citation(
                n=n,
                source=passage.source,
                title=passage.title,
                chunk_id=passage.chunk_id,
                start_char=block.start,
                end_char=block.end,
                quote=text[block.start : block.end],
            )
        )
    return Draft(" ".join(parts), citations, False, support)


def _covering(block: _Block, passages: list[Passage]) -> Passage:
    """The retrieved passage holding the whole block if there is one, else the lead's."""
    return next(
        (
            p
            for p in passages
            if p.source == block.lead.passage.source
            and p.start_char <= block.start
            and block.end <= p.end_char
        ),
        block.lead.passage,
    )


def clean_for_display(quote: str) -> str:
    """Source text as answer prose: no image embeds, list or heading markers, or line breaks."""
    lines = [_LINE_MARKUP.sub("", line.strip()) for line in _IMAGE.sub(r"\1", quote).splitlines()]
    return _SPACES.sub(" ", " ".join(line for line in lines if line)).strip()
