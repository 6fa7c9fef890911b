"""A document as the answer engine reads it: sentences (units) grouped in paragraphs under
headings, page furniture marked, and the sentences a question is scored against (candidates);
rag/blocks.py groups them into the blocks an answer shows."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from rag import nlp
from rag.names import acronyms_spelled
from rag.org_names import org_names
from rag.text import clean_for_display, sentence_spans, terms
from rag.types import Document, Passage, version_key

_LINE = re.compile(r"[^\n]+")
_REFERS_BACK = re.compile(
    r"^(then|but|however|so|also|still)\b|^(\S+\s+){0,9}?"
    r"(this|these|those|such|they|them|their|it|its|he|she|his|her)\b",
    re.IGNORECASE,
)
BLOCK_WORDS = 40  # a block stops growing past this many words
TITLE_WORDS = 12  # a line this short without closing punctuation is a heading

# Lines that are page furniture rather than prose: photo captions and credits, bylines and
# dates, "N min read", syndication notes, navigation, table header rows; they never lead or
# extend a block.
CAPTION = re.compile(
    r"\b(?:photo(?:graph)?|image|picture|illustration)?\s*credits?\s*:|"
    r"\b(?:photo(?:graph)?|image|picture)\s*(?:by|:)\s|getty images|shutterstock|©",
    re.IGNORECASE,
)
_PAGE_FURNITURE = re.compile(
    r"^[\W_]*(?:(?:updated|published|posted|last (?:updated|modified))\b.{0,40}\d"
    r"|(?:this|the) (?:story|article|post|piece) (?:originally|first) (?:appeared|ran)\b"
    r"|\d+\s*(?:min(?:ute)?s?\s+read|sources?\s+cited)|skip to (?:main )?content"
    r"|on this page$|share (?:this|on)\b|advertisement$|subscribe\b|sign up\b|read more$)",
    re.IGNORECASE,
)
# Front matter fields saying who wrote the text and when (rag/authors.py reads them); the
# value on the same or the next line.
_FRONT_FIELD = re.compile(
    r"^(authors?|byline|by|creator|source|published|date|pubdate|updated|modified|last_modified"
    r"|publisher|publication|site_name|site|outlet|title|headline)"
    r"[ \t]*:[ \t]*[\"']?\s*([^\n\"']*[^\s\"'])",
    re.IGNORECASE | re.MULTILINE,
)
_FRONT_KINDS = (
    {"published": "published", "date": "published", "pubdate": "published"}
    | {key: "updated" for key in ("updated", "modified", "last_modified")}
    | {key: "outlet" for key in ("publisher", "publication", "site_name", "site", "outlet")}
    | {"title": "title", "headline": "title"}
)
_LINK = re.compile(r"\[([^\]\n]{1,300})\]\([^)\s]{0,500}\)")
_GLUED_WORDS = re.compile(r"[a-z][A-Z]")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•·]|\d+[.)])\s+")
_REFERENCES_HEADING = re.compile(
    r"^\W*(?:sources?|references?|bibliography|works cited|citations?|further reading|notes)"
    r"\W*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Entity:
    """A named entity of a document: text[start:end], with spaCy's label (PERSON, DATE ...)."""

    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Unit:
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


class Outline:
    """A document as sentences grouped in paragraphs under headings; computed once per
    document version."""

    def __init__(self, document: Document) -> None:
        text = self.text = document.text
        self.source = document.source
        units: list[Unit] = []
        heading: int | None = None
        references = False
        paragraph = 0
        self.body_start = document.body_start
        self.front: dict[str, int] = {}  # writer / published / updated / outlet / title -> unit
        for entry in _FRONT_FIELD.finditer(text, 0, document.body_start):
            kind = _FRONT_KINDS.get(entry[1].lower(), "writer")
            if kind not in self.front:  # a furniture unit: never led or shown as text
                self.front[kind] = len(units)
                start, end = entry.span(2)
                units.append(
                    Unit(start, end, 0, False, None, frozenset(), False, True, False, False)
                )
        for line in _LINE.finditer(text, document.body_start):
            spans = sentence_spans(text, line.start(), line.end())
            if not spans:
                continue
            paragraph += 1
            page_line = _is_page_line(line.group())  # a credit or reading time: no heading
            is_heading = not page_line and _looks_like_heading(
                text, line.start(), line.end(), len(spans)
            )
            if is_heading:
                references = bool(_REFERENCES_HEADING.match(line.group()))
            is_furniture = not is_heading and _is_furniture(line.group())
            is_item = bool(_LIST_ITEM.match(line.group()))
            for start, end in spans:
                sentence = text[start:end]
                units.append(
                    Unit(
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
        self.units = _with_spelled_out(units, text)
        self.version = version_key(document.source, document.content_hash)
        self.vectors: dict[int, np.ndarray] = {}  # by unit index, as embedded or saved
        self._entities: dict[int, list[Entity]] = {}  # by unit index, as first asked for
        self._parses: dict[int, Any] = {}  # spaCy Docs by unit index, as first asked for
        self._shown: dict[int, bool] = {}  # whether a unit has words to show, as first asked
        self._starts = [unit.start for unit in units]
        self._orgs: list[re.Pattern[str]] | None = None  # its organisations' names, once read
        self.company_spans: set[tuple[int, int]] = set()  # where the entities say them

    @cached_property
    def words(self) -> frozenset[str]:
        """Every term the document writes: a name a question gives may stand anywhere in it
        ("per the conductatlas writeup": the page that is ConductAtlas's own)."""
        return frozenset().union(*(unit.words for unit in self.units))

    def meaning_span(self, index: int) -> tuple[int, int]:
        """Where `meaning_text` comes from: the span of the document it joins (rag.sentences
        pools a stored vector for it)."""
        parts = self._meaning_units(index)
        return self.units[parts[0]].start, self.units[parts[-1]].end

    def unit_text(self, index: int) -> str:
        unit = self.units[index]
        return self.text[unit.start : unit.end]

    def shows_words(self, index: int) -> bool:
        """The unit has words left once its markup is cleaned (asked of every retrieved
        sentence of every question: worked out once)."""
        shown = self._shown.get(index)
        if shown is None:
            shown = self._shown[index] = bool(clean_for_display(self.unit_text(index)))
        return shown

    def nlp_text(self, index: int) -> str:
        """The unit's text as spaCy should read it: a link's markup blanked, its words kept
        in place ("[Axios reported](https://...)" reads "Axios reported"; offsets unchanged)."""
        return _LINK.sub(_blank_markup, self.unit_text(index))

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
                if words >= BLOCK_WORDS:
                    break
                parts.append(following)
                words += self.word_count(following)
                following += 1
        elif unit.refers_back and index > 0:
            parts.insert(0, index - 1)
        return parts

    def entities(self, indices: list[int]) -> dict[int, list[Entity]]:
        """Named entities (document offsets) of the units at `indices`; the ones not met
        before are found in one spaCy run and kept with the outline."""
        missing = [i for i in dict.fromkeys(indices) if i not in self._entities]
        if missing:
            found = nlp.entities([self.nlp_text(i) for i in missing])
            for index, entities in zip(missing, found, strict=True):
                start = self.units[index].start
                self._entities[index] = self._with_orgs(
                    index,
                    [Entity(start + begin, start + end, label) for begin, end, label in entities],
                )
        return {i: self._entities[i] for i in indices}

    def _with_orgs(self, index: int, tagged: list[Entity]) -> list[Entity]:
        """The unit's entities, each name the page says is an organisation (rag/org_names.py)
        as one, tagged or not ("Anthropic" as a person, or missed)."""
        if self._orgs is None:
            self._orgs = [
                re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")
                for name in sorted(org_names(self.text))
            ]
        unit = self.units[index]
        said = [
            name.span()
            for org in self._orgs
            for name in org.finditer(self.text, unit.start, unit.end)
        ]
        if not said:
            return tagged
        self.company_spans.update(said)
        kept = [e for e in tagged if not any(s < e.end and e.start < t for s, t in said)]
        return sorted([*kept, *(Entity(s, t, "ORG") for s, t in said)], key=lambda e: e.start)

    def parsed(self, indices: list[int]) -> dict[int, Any]:
        """spaCy Docs (with dependencies; offsets into each unit's text) of the units at
        `indices`, parsed in one run the first time and kept; their entities are kept too."""
        missing = [i for i in dict.fromkeys(indices) if i not in self._parses]
        if missing:
            docs = nlp.parses([self.nlp_text(i) for i in missing])
            for index, doc in zip(missing, docs, strict=True):
                self._parses[index] = doc
                start = self.units[index].start
                if index not in self._entities:
                    self._entities[index] = self._with_orgs(
                        index,
                        [
                            Entity(
                                start + e.start_char,
                                start + e.end_char,
                                nlp.label_of(e.text, e.label_),
                            )
                            for e in doc.ents
                        ],
                    )
        return {i: self._parses[i] for i in indices}

    def within(self, start: int, end: int) -> range:
        """Indices of the units inside text[start:end]."""
        return range(bisect.bisect_left(self._starts, start), bisect.bisect_left(self._starts, end))


def _blank_markup(link: re.Match[str]) -> str:
    return " " + link[1] + " " * (len(link[0]) - len(link[1]) - 1)


def _looks_like_heading(text: str, start: int, end: int, sentences: int) -> bool:
    """A line set apart by blank lines that is short and unpunctuated, or a question on its
    own (an FAQ entry: the paragraph after it is its answer)."""
    line = text[start:end].strip()
    before = text[max(start - 3, 0) : start].replace("\r", "")
    after = text[end : end + 3].replace("\r", "")
    set_apart = (before.endswith("\n\n") or start < 3) and (
        after.startswith("\n\n") or end >= len(text.rstrip())
    )
    short = len(line.split()) <= TITLE_WORDS and not line.endswith(
        (".", "!", "?", ",", ";", "”", '"')
    )
    question = len(line.split()) <= 20 and line.endswith("?")
    return set_apart and sentences == 1 and (short or question)


def _with_spelled_out(units: list[Unit], text: str) -> list[Unit]:
    """The units, one writing an acronym its document spells out elsewhere with the words of
    that spelling among its own ("Anthropic's AUP" also says "API Usage Policy")."""
    spelled = acronyms_spelled(text)
    if not spelled:
        return units
    found = re.compile(rf"\b(?:{'|'.join(map(re.escape, spelled))})\b")
    widened = []
    for unit in units:
        said = {spelled[m] for m in found.findall(text, unit.start, unit.end)}
        extra = frozenset(term for phrase in said for term in terms(phrase))
        widened.append(replace(unit, words=unit.words | extra) if extra else unit)
    return widened


def _is_page_line(line: str) -> bool:
    """A caption, credit, date, reading-time or navigation line, whatever its layout."""
    return bool(CAPTION.search(line) or _PAGE_FURNITURE.match(line.strip()))


def _is_furniture(line: str) -> bool:
    """Page furniture, not prose: a caption or credit, a date or reading-time line, a
    navigation label or byline (a few words, no punctuation, not a list item), or a table
    header row (capitalised words glued together by extraction, no digits)."""
    line = line.strip()
    if _is_page_line(line):
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
class Candidate:
    """A sentence of a retrieved passage, scored against the question."""

    passage: Passage
    outline: Outline
    index: int
    score: float = 0.0
    coverage: float = 0.0
    similarity: float = 0.0

    @property
    def unit(self) -> Unit:
        return self.outline.units[self.index]

    def context_words(self) -> frozenset[str]:
        heading = self.unit.heading
        heading_words = self.outline.units[heading].words if heading is not None else frozenset()
        return heading_words | _title_terms(self.passage.title)

    def antecedent_words(self) -> frozenset[str]:
        """The previous sentence's words when this one refers back to it ("in these ways"); a
        photo credit or other page furniture before it is none."""
        if not self.unit.refers_back or self.index == 0:
            return frozenset()
        before = self.outline.units[self.index - 1]
        return frozenset() if before.is_furniture else before.words


@lru_cache(maxsize=1024)
def _title_terms(title: str) -> frozenset[str]:
    """A passage's title's terms, asked for by each of its sentences as they are scored."""
    return frozenset(terms(title))
