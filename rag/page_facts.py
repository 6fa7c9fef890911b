"""What a page says about itself: who wrote it (its byline, a name line above a reading time,
an author's note, the front matter's author), who added reporting, when it was published or
updated. "Who wrote the article on X?" asks for a fact no sentence about X holds."""

from __future__ import annotations

import re
from datetime import date
from enum import Enum

from rag.blocks import Block
from rag.outline import Candidate, Outline
from rag.page_questions import FIRST_RAN, TWO_PAGE_FACTS
from rag.text import clean_for_display, terms
from rag.types import Passage, ShortAnswer
from rag.weights import QUESTION_FRAMING


class PageFact(Enum):
    WRITER = "writer"
    CONTRIBUTORS = "contributors"
    PUBLISHED = "published"
    UPDATED = "updated"
    DATED = "dated"  # "when's it from?": published, else last updated
    OUTLET = "outlet"
    READING_TIME = "reading time"
    COMMENTS = "comments"
    TITLE = "title"


_WHO_IS_WRITER = (  # "who's the author btw", "what's the byline"
    r"^\W*(?:and\s+|so\s+|ok\s+)?(?:who|what)(?:['’]?s|\s+is|\s+was)\s+(?:the|its)\s+(?:byline"
    r"|author|writer|reporter|journalist)(?:\s+(?:btw|then|again|here|of\s+(?:it|this|that)))?\W*$"
)
_WRITES = re.compile(
    r"\b(?:who|which (?:journalist|reporter|writer|author|person))\b[^?]*?"
    r"\b(?:wrote|write|writes|written|authored|penned)\b"
    rf"|{_WHO_IS_WRITER}"
    r"|^\W*(?:and\s+)?who\s+reported\s+(?:it|this|that)(?:\s+(?:story|article|piece))?\W*$"
    r"|^\W*(?:and\s+)?who\s+(?:reported|covered)\s+the\s+(?:original\s+)?(?:story|article|piece)"
    r"\s+(?:on|about)\b",
    re.IGNORECASE,
)  # "who reported that story?": its writer, not whom its text says reported
_AUTHOR_OF = re.compile(
    r"\b(?:author|writer|byline|reporter|journalist)s?\s+(?:of|for|on|behind)\b", re.IGNORECASE
)
# "what legal fight does the author of the campaign article expect?": what the writer says
_AUTHOR_DOES = re.compile(
    r"\b(?:does|did|do|will|would)\s+the\s+(?:author|writer|reporter|journalist)s?\s+of\b", re.I
)
_CONTRIBUTED = re.compile(  # "anyone else get a credit on it?" after "who wrote ...?"
    r"\b(?:additional reporting|contribut\w*|co-?authors?|co-?wr[io]te"
    r"|(?:get|got|gets) (?:a )?credit|credited(?!\s+as\s+(?:the\s+)?(?:author|writer)))\b"
    r"|\b(?:anyone|anybody|someone|who) else\b[^?]*?\b(?:wr[io]te|written|worked|work|helped"
    r"|help|reported|report|credit)",
    re.IGNORECASE,
)
_WHEN = r"\b(?:when|what (?:date|day|year|month)|which (?:date|day))\b[^?]*?"
_WENT_UP = r"\b(?:go|goes|went|gone)\s+(?:up|live|online)\b"
_UPDATED = re.compile(  # "when was it last updated?", "when's the last update?"
    rf"{_WHEN}\b(?:updated|modified|revised|(?:the|its)\s+(?:last|latest|most\s+recent)\s+update)\b",
    re.I,
)
_PUBLISHED = re.compile(
    rf"{_WHEN}\b(?:published|posted|written|dated|put online|come out|came out|appear(?:ed)?)\b"
    rf"|{_WHEN}\bpublish\s+(?:the\s+|this\s+|that\s+|its\s+)?(?:[\w'’-]+\s+){{0,3}}?"
    r"(?:article|piece|story|report|post|blog|page)s?\b"  # "when did ars publish the ... piece"
    rf"|{_WHEN}\b(?:story|article|piece|post|page|report)\b[^?]*?{_WENT_UP}"  # "... go up?",
    rf"|^\W*(?:and\s+|so\s+)?(?:when|what\s+(?:date|day))\s+(?:did|does|was)\s+(?:it|this|that)\s+"
    rf"(?:{_WENT_UP}|(?:first\s+)?run)\W*$",  # "what date did it go up", "when did it run" (not
    re.IGNORECASE,  # "when did interest in it go up?")
)
_DATED_ASKED = re.compile(  # "when's it from?", "how old is the article?"
    r"\bwhen(?:['’]s|\s+is|\s+was)\s+(?:it|this|that|the \w+)\s+from\b"
    r"|\bwhen\s+was\s+(?:it|this|that)\s+reported\s*\??\s*$"  # a follow-up: the page's date
    r"|\bhow old is (?:it|this|that|the \w+)\b",
    re.IGNORECASE,
)
_PUTS_OUT = r"\b(?:publish|published|publishes|appear|appears|appeared|posted|printed)\b"
# "which outlet published / ran the story ...", "where was the piece first published", "original
# outlet for ...": not "which publication is cited as the source for ...", one the text names
_OUTLET = re.compile(
    r"\b(?:which|what)\s+(?:news\s+)?(?:outlet|publication|site|website|newspaper|paper|"
    rf"magazine|publisher|news organi[sz]ation)s?\b[^?]*?(?:{_PUTS_OUT}|\b(?:ran|runs|carried)\b)"
    rf"|\bwhere\b[^?]*?{_PUTS_OUT}|{FIRST_RAN.pattern}"
    r"|^\W*(?:the\s+)?(?:original\s+)?(?:outlet|publisher)\s+(?:for|of)\b",
    re.IGNORECASE,
)
# "how long does it take to read the article ...", "what's the read time"; "how many comments"
_ASKS_READING = re.compile(
    r"\bhow (?:long|many minutes)\b[^?]*\bread\b|\bread(?:ing)?[ -]time\b", re.IGNORECASE
)
_ASKS_COMMENTS = re.compile(
    r"\bhow many (?:reader )?comments\b|\b(?:number of|count of) comments\b|\bcomment count\b",
    re.IGNORECASE,
)
# "what's the headline of the wired piece?", "what is that article called?"
_GAP = (
    r"(?:(?!(?:in|on|of|about|at|for)\s)[\w'’-]+\s+){0,3}?"  # "the wired", not "the order in the"
)
_TITLE_OF = re.compile(
    rf"(?<!section )(?<!chapter )\b(?:title|headline)s?\s+(?:of|for|on)\s+(?:the\s+|this\s+"
    rf"|that\s+|their\s+)?{_GAP}(?:article|piece|story|report|post|blog|essay|column|page"
    r"|analysis|write-?up)s?\b"
    r"|\b(?:article|piece|story|report|post|blog|essay|column|page)['’]s\s+(?:title|headline)\b"
    rf"|\bwhat\s+(?:is|was|'s)\s+(?:the\s+|this\s+|that\s+)?{_GAP}(?:article|piece|story"
    r"|report|post|blog|essay|column)(?:\s+(?:about|on|covering|regarding)(?:\s+[\w'’-]+){1,5}?)?"
    r"\s+(?:called|titled|headlined)\W*$"  # "the article about the talks", not "... penned"
    r"|^\W*(?:and\s+)?(?:what(?:['’]s|\s+is|\s+was)\s+)?(?:the|its)\s+(?:title|headline)\W*$",
    re.IGNORECASE,
)  # not "what's it called?": the name of the thing the last answer gave
_READING_TIME = re.compile(r"(\d+\s*min(?:ute)?s?\s+read)\b", re.IGNORECASE)
_COMMENT_COUNT = re.compile(r"(\d[\d,]*\s+comments?)\b", re.IGNORECASE)
_REPORTED = re.compile(r"\b(?:reported|reports|according to|broke the news)\b")
_NOUNS = r"article|piece|story|report|post|blog|essay|column|write-?up|page|analysis|explainer"
_DOCUMENT = re.compile(
    rf"\b(?:{_NOUNS}|this|it)s?\b|\b(?:was|is)\s+that\s+(?=(?:reported|published|posted|written)\b)"
    r"|(?<!phrase )(?<!term )(?<!words )(?<!quote )[\"“](?:[^\"”\s]+\s+){3,}[^\"”\s]+[\"”]"
    r"|^\W*(?:and\s+)?(?:what(?:['’]s|\s+is|\s+was)\s+)?(?:the|its)\s+(?:title|headline)\W*$"
    rf"|{_WHO_IS_WRITER}"
    r"|^\W*(?:and\s+)?when(?:['’]s|\s+is|\s+was)\s+(?:the|its)\s+(?:last|latest|most\s+recent)"
    r"\s+update\W*$|^\W*(?:and\s+)?who\s+(?:contributed|added|did)\s+(?:the\s+)?additional\s+reporting\W*$",
    re.IGNORECASE,
)  # a word for the page, its title quoted, "and when's the last update?": the page's
_NOUN = re.compile(rf"\b({_NOUNS})s?\b", re.IGNORECASE)
_POSSESSED = re.compile(rf"\b[A-Z][\w-]*['’]s\s+(?:\w+\s+)?(?i:{_NOUNS})s?\b")
# Words about the page and its making: not its topic, so not looked for in its sentences.
PAGE_WORDS = frozenset(
    terms(
        "who wrote write writes written authored penned author writer byline reporter "
        "journalist article piece story report post blog essay column writeup write-up page "
        "explainer analysis additional reporting contributed contributor published posted updated "
        "modified revised dated date day year month last first online come came appear "
        "appeared originally outlet publication site website newspaper paper magazine "
        "publisher ran run carried printed comments comment read reading minutes minute take "
        "takes long title titled headline headlined called get got gets receive received drew "
        "draw attract attracted"  # "how many comments did the piece get?"
    )
)
_NAME = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}"
_BY = re.compile(rf"^\W*(?i:by)\s+({_NAME})\s*(?:,|$|\band\b|&)")
_NAME_LINE = re.compile(rf"^\W*({_NAME})\s*(?:,\s*\S+(?:\s+\S+)?)?\s*$")
_NAMES = rf"{_NAME}(?:(?:,\s*|,?\s+and\s+|\s*&\s*){_NAME})*"
_APPEARED = re.compile(  # "This story originally appeared at [WIRED.com](...)"
    rf"\b(?i:originally\s+(?:appeared|published|ran|posted|printed))\s+(?i:at|in|on|by)\s+"
    rf"\[?({_NAME})"
)
_REPORTING_BY = re.compile(
    rf"\b(?i:additional reporting|reporting|contributions?|contributed)\s+(?i:by|from)\s+({_NAMES})"
)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = (
    rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}"
)
# "Updated" may be glued to the line before it by page extraction ("citedUpdated")
_UPDATED_ON = (
    r"(?:(?<![A-Za-z])(?i:last updated|updated|modified)|Updated|Modified)\b\W*(?i:on\s+)?"
)
_DATED = {
    PageFact.UPDATED: re.compile(rf"{_UPDATED_ON}({_DATE})"),
    PageFact.PUBLISHED: re.compile(
        rf"(?:(?<![A-Za-z])(?i:published|posted)|Published|Posted)\b\W*(?i:on\s+)?({_DATE})"
    ),
}
# "when was it posted?" of a page dated only by its update: that date, said to be the update's
_UPDATED_SAID = re.compile(rf"({_UPDATED_ON}(?:{_DATE}))")
_FRONT_DATE = re.compile(rf"^({_DATE})")
_READING = re.compile(r"\d+\s*min(?:ute)?s?\s+read|\b(?:updated|published|posted)\b", re.I)
_NOT_IN_NAMES = frozenset(
    "a an the this that these those our your my its their and or to in on at for with from of "
    "share leave reply read more comments subscribe post posts home menu search contact".split()
)
_EDGE = 30  # units read at each end of a document: where bylines and author notes sit
_NEAR = 3  # units after a name line that may confirm it (a reading time, the author's note)
_SHORT = 8  # words at most in a byline or date line
_PROSE = 20  # words of a sentence of prose: the title stands above the first


def asked_fact(question: str) -> PageFact | None:
    """Which fact about a document the question asks for ("who wrote the article on ...?",
    "who contributed reporting to the piece ...", "when was the story ... last updated?"), or
    None: who wrote something a document reports ("who wrote the memo to staff?") or when
    an event happened is asked of the text."""
    if not _DOCUMENT.search(question):
        return None
    if _TITLE_OF.search(question):
        return PageFact.TITLE
    if _ASKS_READING.search(question):
        return PageFact.READING_TIME
    if _ASKS_COMMENTS.search(question):
        return PageFact.COMMENTS
    if _CONTRIBUTED.search(question):
        return PageFact.CONTRIBUTORS
    if _OUTLET.search(question):
        return PageFact.OUTLET
    if _WRITES.search(question) or (
        _AUTHOR_OF.search(question) and not _AUTHOR_DOES.search(question)
    ):
        return PageFact.WRITER
    if _UPDATED.search(question):
        return PageFact.UPDATED
    if _PUBLISHED.search(question):
        return PageFact.PUBLISHED
    if _DATED_ASKED.search(question):
        return PageFact.DATED
    return None


_ITS_SOURCES = re.compile(  # "What are its sources?" ("src?", rag/page_turns.py), "what source
    # does it cite?"
    r"^\W*(?:what\s+are\s+its\s+sources|(?:what|which)\s+sources?\s+does\s+it\s+cite)\W*$",
    re.IGNORECASE,
)


def asks_page_only(question: str) -> bool:
    """The question asks a fact of a page and names no topic ("who wrote it?", "when was that
    piece published?"): a follow-up's page is the one the previous answer came from."""
    if TWO_PAGE_FACTS.match(question) or _ITS_SOURCES.match(question):
        return True
    if FIRST_RAN.search(question):
        return True
    return asked_fact(question) is not None and all(
        term in PAGE_WORDS or term in QUESTION_FRAMING
        for term in terms(re.sub(rf"{_WENT_UP}|\bby the way\b", "", question, flags=re.I))
    )


def tells_of(question: str, lead: Block, fact: PageFact) -> bool:
    """Whether the document asked about is one a text tells of, not the page: one given to
    someone ("Amodei's essay"), one the lead names ("Amodei penned a blog post ...", "Axios
    reported that ..."), or, asked for an outlet, a lead saying whose report it gives."""
    if _POSSESSED.search(question):
        return True
    if FIRST_RAN.search(question):  # "so its a wired story not an ars one?": this page's
        return False
    outline = lead.lead.outline
    said = clean_for_display(" ".join(outline.unit_text(i) for i in lead.indices)).lower()
    if fact is PageFact.OUTLET and _REPORTED.search(said) and not asks_page_only(question):
        return True  # "which outlet published the report that ...?", not "which site ran it?"
    asked = {match[1].lower() for match in _NOUN.finditer(question)}
    return any(re.search(rf"\b{re.escape(noun)}(?:s|ed|ing)?\b", said) for noun in asked)


def byline(outline: Outline) -> int | None:
    """The unit naming the document's writer: a "By ..." line, else a short line only a name
    (a person's by spaCy, or followed by a reading time or an author's note); else None."""
    short = _edges(outline)
    for index in short:
        if _BY.match(outline.unit_text(index)):
            return index
    for index in short:
        match = _NAME_LINE.match(outline.unit_text(index))
        if match and _is_name(match.group(1)) and _confirmed(outline, index, match.group(1)):
            return index
    return None


def fact_span(outline: Outline, fact: PageFact, title: str = "") -> tuple[int, int, int] | None:
    """Where the page states `fact`: (unit index, start, end) of the name(s), date or its
    `title` (its front matter's, else the line near its top that reads so)."""
    if fact is PageFact.TITLE:
        return _title_span(outline, title.strip())
    if fact is PageFact.WRITER:
        index = byline(outline)
        if index is None:
            return None
        text = outline.unit_text(index)
        match = _BY.match(text) or _NAME_LINE.match(text)
        return _span(outline, index, match)
    if fact is PageFact.CONTRIBUTORS:
        return _first(outline, _REPORTING_BY, range(len(outline.units)))
    if fact is PageFact.READING_TIME:  # "· 2 min read" under the headline
        return _first(outline, _READING_TIME, _edges(outline))
    if fact is PageFact.COMMENTS:  # "[70 Comments](...)" at the foot of the page
        return _first(outline, _COMMENT_COUNT, _edges(outline))
    if fact is PageFact.DATED:
        return fact_span(outline, PageFact.PUBLISHED) or fact_span(outline, PageFact.UPDATED)
    front = outline.front.get(fact.value)
    if fact is PageFact.OUTLET:
        if front is not None:
            return _span(outline, front, re.match(r"(.+)", outline.unit_text(front)))
        return _first(outline, _APPEARED, range(len(outline.units)))
    if front is not None and (
        found := _span(outline, front, _FRONT_DATE.match(outline.unit_text(front)))
    ):
        return found
    return _first(outline, _DATED[fact], _edges(outline))


def _title_span(outline: Outline, title: str) -> tuple[int, int, int] | None:
    """Where the page gives its `title`: its front matter's field, else a line of its own
    above the body's first paragraph of prose (a heading further down is a section's)."""
    if not title:
        return None
    front = outline.front.get("title")
    if front is not None:  # as the loader read it: the field's apostrophes too
        at = outline.text.find(title, 0, outline.body_start)
        return (front, at, at + len(title)) if at >= 0 else None
    line = re.compile(rf"^\W*({re.escape(title)})\W*$")
    for index in range(min(_EDGE, len(outline.units))):
        found = _span(outline, index, line.match(outline.unit_text(index)))
        if found is not None:
            return found
        if len(outline.unit_text(index).split()) > _PROSE:
            return None
    return None


def page_fact(
    fact: PageFact, lead: Block, passages: list[Passage]
) -> tuple[ShortAnswer, Block] | None:
    """The fact about the lead's document as the short answer, cited to the unit stating it
    (a block of its own), when a retrieved passage of its document holds it (or it is front
    matter, which none holds): an outlet in the body is where the page first ran."""
    outline = lead.lead.outline
    found = fact_span(outline, fact, lead.lead.passage.title)
    if found is None and fact is PageFact.PUBLISHED:  # "when was it posted?": "Updated Jun
        found = _first(outline, _UPDATED_SAID, _edges(outline))  # 20, 2026", said so
    if found is None:
        return None
    index, start, end = found
    unit = outline.units[index]
    front = unit.end <= outline.body_start
    passage = next(
        (
            p
            for p in passages
            if p.source == outline.source
            and (front or (p.start_char <= unit.start and unit.end <= p.end_char))
        ),
        None,
    )
    if passage is None:
        return None
    said = outline.text[start:end]  # "This story originally appeared at [WIRED.com](...)"
    told = f"Originally appeared at {said}" if fact is PageFact.OUTLET and not front else said
    short = ShortAnswer(
        text=_readable(told), source=outline.source, start_char=start, end_char=end, quote=said
    )
    return short, Block(Candidate(passage, outline, index), [index])


def _readable(said: str) -> str:
    """An ISO date as people write it, then as the page does: "February 28, 2026 (2026-02-28)"."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", said):
        try:
            day = date.fromisoformat(said)
        except ValueError:
            return said
        return f"{day:%B} {day.day}, {day.year} ({said})"
    return said


def _edges(outline: Outline) -> list[int]:
    """The short units among the first and last _EDGE of the document."""
    count = len(outline.units)
    edges = dict.fromkeys([*range(min(_EDGE, count)), *range(max(0, count - _EDGE), count)])
    return [i for i in edges if len(outline.unit_text(i).split()) <= _SHORT]


def _first(
    outline: Outline, pattern: re.Pattern[str], indices: range | list[int]
) -> tuple[int, int, int] | None:
    for index in indices:
        found = _span(outline, index, pattern.search(outline.unit_text(index)))
        if found is not None:
            return found
    return None


def _span(outline: Outline, index: int, match: re.Match[str] | None) -> tuple[int, int, int] | None:
    if match is None:
        return None
    start = outline.units[index].start
    end = start + match.end(1)
    while end > start + match.start(1) and outline.text[end - 1] in "._,;:-'’":
        end -= 1  # "Dave._" (the end of the line's sentence and markup)
    return index, start + match.start(1), end


def _is_name(words: str) -> bool:
    """No function or page word among them ("Share This Post", "Leave a Reply" are no
    names; "Will Knight" is)."""
    return all(word.lower() not in _NOT_IN_NAMES for word in words.split())


def _confirmed(outline: Outline, index: int, name: str) -> bool:
    """A name line is a byline when spaCy reads a person there, or (in the body) a reading
    time or date, or a sentence starting with the name (an author's note) follows it."""
    if any(e.label == "PERSON" for e in outline.entities([index])[index]):
        return True
    if outline.units[index].end <= outline.body_start:  # a front matter field: a person only
        return False
    after = range(index + 1, min(index + 1 + _NEAR, len(outline.units)))
    return any(
        _READING.search(outline.unit_text(i)) or outline.unit_text(i).startswith(f"{name} ")
        for i in after
    )
