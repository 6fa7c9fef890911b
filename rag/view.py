"""One view of an answer, so the terminal, the chat and every export show the same thing: the
direct answer, which sentences show and whether their citations back them, the markers that
name a citation, the notes under it (its sources with the cited words in a short excerpt, or
the closest passages with the question's words marked when it abstained) and its notices."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from rag.dates import DocumentDate, document_date
from rag.excerpts import Piece, around, best_sentence, question_words, readable
from rag.text import terms
from rag.types import Answer, Citation, Document, Passage

SHOWN_PASSAGES = 3  # closest passages listed under an abstention
SNIPPET_CHARS = 200  # of a closest passage, where only a glimpse of it is shown
UNSUPPORTED = "⚠ unsupported"  # said after each sentence its citations do not back
_MARKER = re.compile(r"\s*\[(\d+)\]")


@dataclass(frozen=True)
class Sentence:
    """One sentence as shown: its text (markers naming no citation left out) and whether its
    citations back it."""

    text: str
    supported: bool


@dataclass(frozen=True)
class DocumentFacts:
    """What a reader is told about a document besides its title: the site it came from (else
    its file type), its date and whether that was read from its text, its file name."""

    source: str
    title: str
    file_type: str = ""
    site: str = ""
    date: DocumentDate | None = None


def facts_of(document: Document) -> DocumentFacts:
    """A stored document's facts; its date is worked out here, once per version."""
    host = urlsplit(document.url).hostname or "" if document.url else ""
    return DocumentFacts(
        document.source,
        readable(document.title)[0].strip() or document.source,
        document.file_type,
        host.removeprefix("www."),
        document_date(document),
    )


@dataclass(frozen=True)
class Note:
    """One note under an answer: a citation, or a closest passage of an abstention."""

    label: str  # "1" for citation [1], "" for a closest passage
    title: str
    source: str
    start: int
    end: int
    text: str  # the quote, or the passage's best sentence
    content_hash: str | None = None
    page: int | None = None
    date: str = ""
    date_inferred: bool = False  # read from the document's text, its metadata having none
    site: str = ""  # the host it was published on, else ""
    file_type: str = ""
    excerpt: tuple[Piece, ...] = ()  # readable text around the cited (or matching) words

    @property
    def where(self) -> str:
        """ "p. 3, characters 10–20, dated 2024-05-01": page (paged sources), span, date."""
        page = f"p. {self.page}, " if self.page else ""
        date = f", dated {self.date}" if self.date else ""
        return f"{page}characters {self.start}–{self.end}{date}"

    @property
    def snippet(self) -> str:
        """The beginning of the text on one line."""
        return " ".join(self.text.split())[:SNIPPET_CHARS]


@dataclass(frozen=True)
class Lead:
    """The direct answer said on its own, and the citation whose quote holds it ("" if none
    does: then its own span is where it points)."""

    text: str
    label: str
    source: str
    start: int
    end: int


@dataclass(frozen=True)
class AnswerView:
    """What every rendering of an answer shows."""

    question: str  # on one line
    searched_for: str | None  # the rewritten follow-up, then any later searches (two hops), "→"
    notice: str | None
    abstained: bool
    sentences: list[Sentence]
    notes: list[Note]
    lead: Lead | None = None
    searched_words: list[str] = field(default_factory=list)  # the question's content words
    unmatched_words: list[str] = field(default_factory=list)  # of those, in no passage found

    @property
    def text(self) -> str:
        """The answer as plain text, each unsupported sentence followed by "⚠ unsupported"."""
        return " ".join(
            s.text if s.supported else f"{s.text} {UNSUPPORTED}" for s in self.sentences
        )


def drop_unknown_markers(text: str, cited: set[int]) -> str:
    """`text` without the [n] markers that resolve to no citation (never shown as one)."""
    return _MARKER.sub(lambda m: m.group(0) if int(m.group(1)) in cited else "", text)


def shown_sentences(answer: Answer) -> list[Sentence]:
    """The answer as shown, sentence by sentence: built from the verified sentences (those
    removed from the answer left out), markers naming no citation dropped. An abstention or
    an unverified answer is one supported piece."""
    cited = {c.n for c in answer.citations}
    if answer.abstained or not answer.sentences:
        return [Sentence(drop_unknown_markers(answer.answer, cited), True)]
    return [
        Sentence(drop_unknown_markers(s.text, cited), s.supported)
        for s in answer.sentences
        if s.supported or s.text in answer.answer
    ]


def date_label(published: str | None) -> str:
    """A document's date for display: the day of an ISO timestamp, else as the file says."""
    if not published:
        return ""
    day = re.match(r"\d{4}-\d{2}-\d{2}(?=$|[T ])", published.strip())
    return day.group(0) if day else " ".join(published.split())[:40]


def _lead(answer: Answer) -> Lead | None:
    short = answer.short_answer
    if short is None or answer.abstained or not short.text.strip():
        return None
    holder = next(
        (
            c
            for c in answer.citations
            if c.source == short.source
            and c.start_char <= short.start_char
            and short.end_char <= c.end_char
        ),
        None,
    )
    label = str(holder.n) if holder else ""
    return Lead(" ".join(short.text.split()), label, short.source, short.start_char, short.end_char)


def _passage_holding(answer: Answer, citation: Citation) -> Passage | None:
    return next(
        (
            p
            for p in answer.retrieved
            if p.source == citation.source
            and p.start_char <= citation.start_char
            and citation.end_char <= p.end_char
        ),
        None,
    )


def _excerpt(answer: Answer, citation: Citation) -> tuple[Piece, ...]:
    """The cited words inside a little of the passage they were taken from."""
    passage = _passage_holding(answer, citation)
    if passage is None:
        return tuple(around(citation.quote, 0, len(citation.quote)))
    offset = passage.start_char
    return tuple(around(passage.text, citation.start_char - offset, citation.end_char - offset))


def _closest(answer: Answer) -> list[tuple[Passage, int, int, tuple[Piece, ...]]]:
    """The retrieved passages whose best sentence shares most words with the question (never
    page furniture), best first: the passage, the sentence's span in the document, its pieces
    with the question's words marked."""
    question = answer.standalone_question or answer.question
    ranked = []
    for rank, passage in enumerate(answer.retrieved):
        best = best_sentence(passage.text, question)
        if best is not None:
            shared, start, end, found = best
            ranked.append((-shared, rank, passage, start, end, tuple(found)))
    ranked.sort(key=lambda row: (row[0], row[1]))
    chosen: list[tuple[Passage, int, int, tuple[Piece, ...]]] = []
    seen = set()
    for _, _, passage, start, end, pieces in ranked:
        text = "".join(piece.text for piece in pieces)
        if text not in seen:
            seen.add(text)
            offset = passage.start_char
            chosen.append((passage, offset + start, offset + end, pieces))
    return chosen[:SHOWN_PASSAGES]


def _note(
    label: str,
    item: Citation | Passage,
    text: str,
    span: tuple[int, int],
    excerpt: tuple[Piece, ...],
    known: tuple[Mapping[str, str | None], Mapping[str, str | None], Mapping[str, DocumentFacts]],
) -> Note:
    hashes, dates, facts = known
    about = facts.get(item.source)
    day = about.date if about else None
    return Note(
        label,
        about.title if about else item.title,
        item.source,
        span[0],
        span[1],
        text,
        hashes.get(item.source),
        item.page,
        day.readable if day else date_label(dates.get(item.source)),
        bool(day and day.inferred),
        about.site if about else "",
        about.file_type if about else "",
        excerpt,
    )


def notes(
    answer: Answer,
    hashes: Mapping[str, str | None] | None = None,
    dates: Mapping[str, str | None] | None = None,
    facts: Mapping[str, DocumentFacts] | None = None,
) -> list[Note]:
    """The answer's citations, or the closest passages if it abstained (none when it abstained
    for the question's language); with each document's content hash and date where known, and
    its facts (site, type, inferred date) if given."""
    known = (hashes or {}, dates or {}, facts or {})
    if answer.abstained and answer.language:  # its message names the language: no passages
        return []
    if answer.abstained:
        return [
            _note("", p, "".join(x.text for x in pieces), (start, end), pieces, known)
            for p, start, end, pieces in _closest(answer)
        ]
    return [
        _note(str(c.n), c, c.quote, (c.start_char, c.end_char), _excerpt(answer, c), known)
        for c in answer.citations
    ]


def _unmatched(answer: Answer, words: list[str]) -> list[str]:
    """The question's words no retrieved passage has (what a rephrasing should change)."""
    found = {term for passage in answer.retrieved for term in terms(passage.text)}
    return [word for word in words if not set(terms(word)) <= found]


def view(
    answer: Answer,
    hashes: Mapping[str, str | None] | None = None,
    dates: Mapping[str, str | None] | None = None,
    facts: Mapping[str, DocumentFacts] | None = None,
) -> AnswerView:
    """The view of `answer`, its notes carrying the documents' hashes, dates and facts given."""
    searched = answer.abstained and not answer.language  # a language's abstention: no words
    words = question_words(answer.standalone_question or answer.question) if searched else []
    return AnswerView(
        question=" ".join(answer.question.split()),
        searched_for=" → ".join(answer.searched_for) or None,
        notice=answer.notice,
        abstained=answer.abstained,
        sentences=shown_sentences(answer),
        notes=notes(answer, hashes, dates, facts),
        lead=_lead(answer),
        searched_words=words,
        unmatched_words=_unmatched(answer, words),
    )
