"""One view of an answer, so the terminal, the chat and every export show the same thing: which
sentences show and whether their citations back them, the markers that name a citation, the
notes under it (its sources, or the closest passages when it abstained) and its notices."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rag.types import Answer, Citation, Passage

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
class Note:
    """One note under an answer: a citation, or a closest passage of an abstention."""

    label: str  # "1" for citation [1], "" for a closest passage
    title: str
    source: str
    start: int
    end: int
    text: str  # the quote, or the passage's text
    content_hash: str | None = None
    page: int | None = None
    date: str = ""

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
class AnswerView:
    """What every rendering of an answer shows."""

    question: str  # on one line
    searched_for: str | None  # the rewritten follow-up, then any later searches (two hops), "→"
    notice: str | None
    abstained: bool
    sentences: list[Sentence]
    notes: list[Note]

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


def notes(
    answer: Answer,
    hashes: Mapping[str, str | None] | None = None,
    dates: Mapping[str, str | None] | None = None,
) -> list[Note]:
    """The answer's citations, or the closest passages if it abstained (none when it abstained
    for the question's language); with each document's content hash and date where known."""
    hashes, dates = hashes or {}, dates or {}
    shown: list[tuple[str, Citation | Passage, str]]
    if answer.abstained and answer.language:  # its message names the language: no passages
        shown = []
    elif answer.abstained:
        shown = [("", p, p.text) for p in answer.retrieved[:SHOWN_PASSAGES]]
    else:
        shown = [(str(c.n), c, c.quote) for c in answer.citations]
    return [
        Note(
            label,
            item.title,
            item.source,
            item.start_char,
            item.end_char,
            text,
            hashes.get(item.source),
            item.page,
            date_label(dates.get(item.source)),
        )
        for label, item, text in shown
    ]


def view(
    answer: Answer,
    hashes: Mapping[str, str | None] | None = None,
    dates: Mapping[str, str | None] | None = None,
) -> AnswerView:
    """The view of `answer`, its notes carrying the documents' hashes and dates given."""
    return AnswerView(
        question=" ".join(answer.question.split()),
        searched_for=" → ".join(answer.searched_for) or None,
        notice=answer.notice,
        abstained=answer.abstained,
        sentences=shown_sentences(answer),
        notes=notes(answer, hashes, dates),
    )
