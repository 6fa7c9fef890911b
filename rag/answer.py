"""The extractive engine: the answer is the retrieved sentences that best answer the question,
each block cited to its exact span; too little support and it abstains instead."""

from __future__ import annotations

import bisect
import html
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from rag.retrieve import Lexicon
from rag.sentences import SentenceVectors
from rag.store import version_key
from rag.text import sentence_spans, terms, without_reference_markers
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
_NUMBER = re.compile(  # "one" as a pronoun ("one of", "no one", "one another") is no count
    r"\d|\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty"
    r"|fifty|hundred|thousand|million|billion|dozen|dozens|several|half)\b"
    r"|(?<!\bno\s)(?<!\bany\s)(?<!\beach\s)(?<!\bevery\s)(?<!\bwhich\s)\bone\b"
    r"(?!['’]s\b|\s+(?:of|another|can|could|may|might|must|should|would)\b)",
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
_LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*([^)\s]*)[^)]*\)")
_LINK_ADDRESS = re.compile(r"^(?:https?://)?(?:www\.)?")
_GENERIC_LINK = re.compile(
    r"^(?:(?:a|an|the|this|that|these|those|his|her|its|their|our|my)\s+[a-z\s-]+"
    r"|here|click here|link|this link|source|more)$"
)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_LINE_MARKUP = re.compile(r"^(?:#{1,6}\s+|[-*+•·](?:\s+|$)|>\s*|\d+[.)](?:\s+|$))+")
_SPACES = re.compile(r"\s+")
# Lines that are page furniture rather than prose: photo captions and credits, bylines and
# dates, "N min read", navigation, table header rows; they never lead or extend a block.
_CAPTION = re.compile(
    r"\b(?:photo(?:graph)?|image|picture|illustration)?\s*credits?\s*:|"
    r"\b(?:photo(?:graph)?|image|picture)\s*(?:by|:)\s|getty images|shutterstock|©",
    re.IGNORECASE,
)
_PAGE_FURNITURE = re.compile(
    r"^\W*(?:(?:updated|published|posted|last (?:updated|modified))\b.{0,40}\d"
    r"|\d+\s*(?:min(?:ute)?s?\s+read|sources?\s+cited)|skip to (?:main )?content"
    r"|on this page$|share (?:this|on)\b|advertisement$|subscribe\b|sign up\b|read more$)",
    re.IGNORECASE,
)
_GLUED_WORDS = re.compile(r"[a-z][A-Z]")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•·]|\d+[.)])\s+")
_REFERENCES_HEADING = re.compile(
    r"^\W*(?:sources?|references?|bibliography|works cited|citations?|further reading|notes)"
    r"\W*$",
    re.IGNORECASE,
)
# Kinds of question whose answer has a recognisable shape; a block of that shape leads.
_ENUMERATION_QUESTION = re.compile(
    r"\b(two|three|four|five|six|both)\s+(?:[a-z-]+\s+)?[a-z-]+s\b", re.IGNORECASE
)
_ENUMERATES = re.compile(
    r"\b(?:on (?:the )?one (?:side|hand)|on the other (?:side|hand)|first(?:ly)?|second(?:ly)?"
    r"|third(?:ly)?|the former|the latter|another|both|either|whereas)\b",
    re.IGNORECASE,
)
_OPENS_LISTING = re.compile(r"\W*(?:on (?:the )?one (?:side|hand)|first(?:ly)?\b)", re.IGNORECASE)
_CLOSES_LISTING = re.compile(
    r"\W*(?:on the other (?:side|hand)|second(?:ly)?\b|finally\b|lastly\b)", re.IGNORECASE
)
_CAUSE_QUESTION = re.compile(
    r"^\s*why\b|\bwhat (?:prompted|caused|led|drove|triggered|motivated|made)\b"
    r"|\bfor what reason\b|\breasons? (?:for|why|behind)\b",
    re.IGNORECASE,
)
_CAUSE = re.compile(
    r"\b(?:because|due to|stem(?:s|med)? from|as a result|owing to|thanks to|in response to"
    r"|result(?:s|ed)? (?:of|from)|reasons?|prompted|driven by|motivated by|caused by|led to"
    r"|in order to|attribut(?:ed|able) to|explained by|contribut(?:ed|es|ing) to)\b",
    re.IGNORECASE,
)
_SOURCE_QUESTION = re.compile(
    r"\b(?:which|what)\s+(?:\w+\s+){0,2}(?:publications?|outlets?|newspapers?|sources?"
    r"|references?|journals?|papers?|studies|study)\b.*\b(?:cited|cites?|listed|referenced"
    r"|credited)\b|\b(?:cited|listed|referenced|credited) as (?:the |a |its )?sources?\b",
    re.IGNORECASE,
)
_SAME_MEANING = 0.8  # cosine above which two sentences say the same thing (cited together)
_MAX_ALSO = 2  # extra citations for one block
_SOURCE_WORDS = frozenset(
    terms(
        "publication outlet newspaper source reference journal paper study studies cited cite "
        "listed referenced credited"
    )
)
_CAUSE_WORDS = frozenset(terms("prompted caused led drove triggered motivated made reason"))
_FORM_FLOOR = 0.5  # a lead of the asked-for shape may score this share of the best


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
    is_furniture: bool  # caption, credit, byline, date or table header: never shown
    is_item: bool  # on a bulleted or numbered line
    in_references: bool  # a references heading or under one


class _Outline:
    """A document as sentences grouped in paragraphs under headings; computed once per
    document version."""

    def __init__(self, document: Document) -> None:
        text = self.text = document.text
        units: list[_Unit] = []
        heading: int | None = None
        references = False
        paragraph = 0
        for line in _LINE.finditer(text, document.body_start):
            spans = sentence_spans(text, line.start(), line.end())
            if not spans:
                continue
            paragraph += 1
            is_heading = _looks_like_heading(text, line.start(), line.end(), len(spans))
            if is_heading:
                references = bool(_REFERENCES_HEADING.match(line.group()))
            is_furniture = not is_heading and _is_furniture(line.group())
            is_item = bool(_LIST_ITEM.match(line.group()))
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
                        is_furniture,
                        is_item,
                        references,
                    )
                )
            if is_heading:
                heading = len(units) - 1
        self.units = units
        self.version = version_key(document.source, document.content_hash)
        self.vectors: dict[int, np.ndarray] = {}  # by unit index, as embedded or saved
        self._starts = [unit.start for unit in units]

    def meaning_span(self, index: int) -> tuple[int, int]:
        """Where `meaning_text` comes from: the span of the document it joins (rag.sentences
        pools a stored vector for it)."""
        parts = self._meaning_units(index)
        return self.units[parts[0]].start, self.units[parts[-1]].end

    def unit_text(self, index: int) -> str:
        unit = self.units[index]
        return self.text[unit.start : unit.end]

    def word_count(self, index: int) -> int:
        return len(self.unit_text(index).split())

    def meaning_text(self, index: int) -> str:
        """What a sentence means in place, for embedding: a heading with the start of its
        section, a sentence that refers back with the sentence before it."""
        return "\n".join(self.unit_text(part) for part in self._meaning_units(index))

    def _meaning_units(self, index: int) -> list[int]:
        parts = [index]
        unit = self.units[index]
        if unit.is_heading:
            following, words = index + 1, 0
            while following < len(self.units) and not self.units[following].is_heading:
                if words >= _BLOCK_WORDS:
                    break
                parts.append(following)
                words += self.word_count(following)
                following += 1
        elif unit.refers_back and index > 0:
            parts.insert(0, index - 1)
        return parts

    def within(self, start: int, end: int) -> range:
        """Indices of the units inside text[start:end]."""
        return range(bisect.bisect_left(self._starts, start), bisect.bisect_left(self._starts, end))


def _looks_like_heading(text: str, start: int, end: int, sentences: int) -> bool:
    """A line set apart by blank lines that is short and unpunctuated, or a question on its
    own (an FAQ entry: the paragraph after it is its answer)."""
    line = text[start:end].strip()
    before = text[max(start - 3, 0) : start].replace("\r", "")
    after = text[end : end + 3].replace("\r", "")
    set_apart = (before.endswith("\n\n") or start < 3) and (
        after.startswith("\n\n") or end >= len(text.rstrip())
    )
    short = len(line.split()) <= 12 and not line.endswith((".", "!", "?", ",", ";", "”", '"'))
    question = len(line.split()) <= 20 and line.endswith("?")
    return set_apart and sentences == 1 and (short or question)


def _is_furniture(line: str) -> bool:
    """Page furniture, not prose: a caption or credit, a date or reading-time line, a
    navigation label or byline (a few words, no punctuation, not a list item), or a table
    header row (capitalised words glued together by extraction, no digits)."""
    line = line.strip()
    if _CAPTION.search(line) or _PAGE_FURNITURE.match(line):
        return True
    words = line.split()
    if _LIST_ITEM.match(line):
        return False
    if len(words) <= 3 and not line.endswith((".", "!", "?", ":")):
        return True
    return (
        bool(_GLUED_WORDS.search(line))
        and not any(ch.isdigit() for ch in line)
        and all(not word[0].isalpha() or word[0].isupper() for word in words)
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
    """Consecutive sentences of one document, cited together, and sentences elsewhere that
    say the same thing (`also`: cited alongside instead of repeated)."""

    lead: _Candidate
    indices: list[int]
    also: list[_Candidate] = field(default_factory=list)

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

    @property
    def sentences(self) -> int:
        """Sentences shown, not counting a heading (it only labels them)."""
        return sum(not unit.is_heading for unit in self.units)

    @property
    def text(self) -> str:
        return "\n".join(self.lead.outline.text[u.start : u.end] for u in self.units)


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
        sentence_vectors: SentenceVectors | None = None,
    ) -> None:
        """`sentence_vectors`: where answering finds the stored versions' sentence vectors
        (a sentence without one is embedded when a question meets it)."""
        self.embed = embed
        self.answer_passages = answer_passages
        self.max_sentences = max_sentences
        self.min_support = min_support
        self.sentence_vectors = sentence_vectors
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
        form = _answer_form(question)
        shape_words = form.words if form else frozenset()
        wanted = [
            t
            for t in dict.fromkeys(terms(question))
            if t not in _QUESTION_FRAMING and t not in shape_words
        ]
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
        passage_words = {  # once per passage: a widened one holds many candidates
            passage.chunk_id: frozenset(terms(passage.text))
            for passage in {id(c.passage): c.passage for c in candidates}.values()
        }
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
        best, first = self._lead(question, ranked, frozenset(wanted), form)
        if best is None or first is None:
            return _abstain(0.0)
        top = best.lead
        support = round((top.coverage + top.similarity) / 2, 4)
        if support < self.min_support or _missing_name(question, documents):
            return _abstain(support)
        blocks = [first]
        used = first.sentences
        for other in ranked:
            if used >= self.max_sentences or other.score < 0.8 * top.score:
                break
            if any(_overlaps(other, block) for block in blocks):
                continue
            same = next((block for block in blocks if _says_same(other, block)), None)
            if same is not None:
                if not other.unit.is_heading and len(same.also) < _MAX_ALSO:
                    same.also.append(other)
                continue
            block = self._block(other, self.max_sentences - used, blocks)
            if block.sentences:  # a heading alone adds nothing
                blocks.append(block)
                used += block.sentences
        return _compose(blocks, passages, support)

    def _lead(
        self,
        question: str,
        ranked: list[_Candidate],
        asked: frozenset[str],
        form: _Form | None,
    ) -> tuple[_Block | None, _Block | None]:
        """The best block that fits the question, and the block to lead with: the first one
        of the asked-for shape (a list, a reason, a references entry) scoring at least the
        form's floor share of the best, else the best itself."""
        best: _Block | None = None
        for candidate in ranked:
            if best is not None and (
                form is None or candidate.score < form.floor * best.lead.score
            ):
                break
            block = self._block(candidate, self.max_sentences, [])
            if not _fits_question(question, block, asked):
                continue
            if best is None:
                best = block
            if form is not None and form.fits(block, best):
                return best, block
        return best, best

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
            if self.sentence_vectors is not None and outline.units:
                spans = [outline.meaning_span(i) for i in range(len(outline.units))]
                saved = self.sentence_vectors.load(outline.version, spans)
                outline.vectors.update((i, v) for i, v in enumerate(saved) if v is not None)
        return outline

    def _candidates(
        self, passages: list[Passage], documents: dict[str, Document]
    ) -> list[_Candidate]:
        found: dict[tuple[str, int], _Candidate] = {}
        for passage in passages:
            outline = self._outline(documents[passage.source])
            for index in outline.within(passage.start_char, passage.end_char):
                if not outline.units[index].is_furniture and clean_for_display(
                    outline.unit_text(index)
                ):
                    found.setdefault((passage.source, index), _Candidate(passage, outline, index))
        return list(found.values())

    def _block(self, lead: _Candidate, room: int, taken: list[_Block]) -> _Block:
        """The lead sentence, the one before it when it refers back to it, and the sentences
        after it in its paragraph (under a heading: its section) while the block is short;
        a short block also takes a next paragraph that refers back to it. A heading does not
        count against `room`; page furniture and sentences already in `taken` blocks are
        never taken."""
        units = lead.outline.units
        unit = lead.unit
        used = {(b.lead.passage.source, i) for b in taken for i in b.indices}
        source = lead.passage.source

        def free(index: int) -> bool:
            return (
                0 <= index < len(units)
                and (source, index) not in used
                and not units[index].is_furniture
            )

        def sentences() -> int:
            return sum(not units[i].is_heading for i in indices)

        indices = [lead.index]
        if room > 1 and unit.refers_back and free(lead.index - 1):
            indices.insert(0, lead.index - 1)
        words = sum(lead.outline.word_count(i) for i in indices)
        following = lead.index + 1
        listing = False  # inside "on one side ... on the other": finish it
        while free(following) and sentences() < room:
            listing = _opens_listing(lead.outline, indices[-1], listing)
            if words >= (2 * _BLOCK_WORDS if listing else _BLOCK_WORDS):
                break
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


def _opens_listing(outline: _Outline, index: int, listing: bool) -> bool:
    """Whether a list in prose is still open after sentence `index`: opened by "on one side"
    or "first", closed by "on the other side", "second", "finally"."""
    text = outline.unit_text(index)
    if _CLOSES_LISTING.match(text):
        return False
    return listing or bool(_OPENS_LISTING.match(text))


def _abstain(support: float) -> Draft:
    return Draft(ABSTAIN_TEXT, [], True, support)


@dataclass(frozen=True)
class _Form:
    """The shape the answer to a kind of question has; a block of that shape leads if it
    scores at least `floor` times the best block (`fits` sees both)."""

    fits: Callable[[_Block, _Block], bool]
    floor: float = _FORM_FLOOR
    words: frozenset[str] = frozenset()  # question words that only ask for the shape


def _answer_form(question: str) -> _Form | None:
    """A list of N things enumerates them, a why-question gives a reason, and a
    which-source-is-cited question is answered by the references list of the document the
    question is about, however little it shares with the question. The words that ask for
    the shape ("two" in "the two camps", "prompted", "cited") are no topic words."""
    if _SOURCE_QUESTION.search(question):
        return _Form(_in_references, floor=0.0, words=_SOURCE_WORDS)
    if _CAUSE_QUESTION.search(question):
        return _Form(lambda block, _: bool(_CAUSE.search(block.text)), words=_CAUSE_WORDS)
    enumeration = _ENUMERATION_QUESTION.search(question)
    if enumeration and not _NUMBER_QUESTION.search(question):
        return _Form(lambda block, _: _enumerates(block), words=frozenset(terms(enumeration[1])))
    return None


def _in_references(block: _Block, best: _Block) -> bool:
    """The block starts in a references section of the best block's document."""
    return block.lead.unit.in_references and block.lead.passage.source == best.lead.passage.source


def _enumerates(block: _Block) -> bool:
    """Two or more list items, or prose that counts through its items ("on one side ...
    on the other side")."""
    return (
        sum(unit.is_item for unit in block.units) >= 2 or len(_ENUMERATES.findall(block.text)) >= 2
    )


def _fits_question(question: str, block: _Block, asked: frozenset[str]) -> bool:
    """A lead block must say more than the question (a title restating it does not) and
    more than a heading; in a how-many question the lead sentence needs a number ("one"
    counts only as a count: "one company", not "one of them", "no one", "one another" or
    "one can"), in a when-question a time."""
    if not block.words - asked or not block.sentences:
        return False
    candidate = block.lead
    text = _URL.sub(" ", candidate.outline.unit_text(candidate.index))
    if _NUMBER_QUESTION.search(question):
        return bool(_NUMBER.search(text))
    if _TIME_QUESTION.search(question):
        return bool(_TIME.search(text))
    return candidate.score > 0


def _missing_name(question: str, documents: dict[str, Document]) -> bool:
    """A capitalised name in the question (not its first word; each part of a hyphenated one)
    that none of the retrieved documents contains: the documents are about something else."""
    names = [_POSSESSIVE.sub("", name) for name in _NAME.findall(question)[1:]]
    words = [part for name in names for part in name.split("-") if part]  # "Anthropic-Trump"
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


def _says_same(candidate: _Candidate, block: _Block) -> bool:
    """Near-duplicates: mostly the same words, or (both embedded) nearly the same meaning."""
    if _similar(candidate.unit.words, block.words):
        return True
    mine = candidate.outline.vectors.get(candidate.index)
    theirs = block.lead.outline.vectors.get(block.lead.index)
    return mine is not None and theirs is not None and float(mine @ theirs) >= _SAME_MEANING


def _compose(blocks: list[_Block], passages: list[Passage], support: float) -> Draft:
    parts: list[str] = []
    citations: list[Citation] = []
    for block in blocks:
        n = len(citations) + 1
        passage = _covering(block, passages)
        text = block.lead.outline.text
        pieces = [(unit, clean_for_display(text[unit.start : unit.end])) for unit in block.units]
        shown = [(unit, piece) for unit, piece in pieces if piece]  # not a bare "1."
        joined = shown[0][1]
        for (before, _), (_, piece) in itertools.pairwise(shown):
            closed = text[before.end - 1] in ".!?…”\"')"
            joined += (" " if closed else ": ") + piece
        citations.append(_citation(n, passage, block.start, block.end, text))
        for other in block.also:
            unit = other.unit
            citations.append(
                _citation(
                    len(citations) + 1, other.passage, unit.start, unit.end, other.outline.text
                )
            )
        parts.append(joined + " " + "".join(f"[{c.n}]" for c in citations[n - 1 :]))
    return Draft(" ".join(parts), citations, False, support)


def _citation(n: int, passage: Passage, start: int, end: int, text: str) -> Citation:
    """A citation of text[start:end], naming the chunk of `passage` that holds most of it."""
    return Citation(
        n=n,
        source=passage.source,
        title=passage.title,
        chunk_id=passage.chunk_holding(start, end),
        start_char=start,
        end_char=end,
        quote=text[start:end],
    )


def _covering(block: _Block, passages: list[Passage]) -> Passage:
    """The retrieved passage holding the whole block if there is one, else the passage of its
    document sharing most of it (the lead's on a tie)."""
    source = block.lead.passage.source
    holding = next(
        (
            p
            for p in passages
            if p.source == source and p.start_char <= block.start and block.end <= p.end_char
        ),
        None,
    )
    if holding is not None:
        return holding
    ours = [block.lead.passage, *(p for p in passages if p.source == source)]
    return max(ours, key=lambda p: min(block.end, p.end_char) - max(block.start, p.start_char))


def clean_for_display(quote: str) -> str:
    """Source text as answer prose: links and images as their text, no reference numbers, HTML
    tags, emphasis marks, list or heading markers, or line breaks. A link whose text only
    describes it ("a blog post", "here") keeps its address in brackets: only the address says
    which one."""
    text = without_reference_markers(_LINK.sub(_link_text, quote))
    text = html.unescape(_EMPHASIS.sub(r"\2", _HTML_TAG.sub("", text)))
    lines = [_LINE_MARKUP.sub("", line.strip()) for line in text.splitlines()]
    return _SPACES.sub(" ", " ".join(line for line in lines if line)).strip()


def _link_text(link: re.Match[str]) -> str:
    image, text, address = link.groups()
    text = text.strip()
    if image or not address or address.startswith("#") or not _GENERIC_LINK.match(text or "here"):
        return text
    return f"{text} ({_LINK_ADDRESS.sub('', address)})" if text else _LINK_ADDRESS.sub("", address)
