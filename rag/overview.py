"""Questions asking what a page says as a whole ("what's the gist of the ConductAtlas page?",
"give me a quick summary of the article about Anthropic's talks", "what's the headline
conflict?"): no one sentence holds their words, so the page they name, or the page the topic
leads to, answers with its opening sentences, which news and policy pages write to say what
they are about."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rag.blocks import Block
from rag.outline import Candidate, Outline
from rag.owners import with_aliases
from rag.store_reader import StoreReader
from rag.synonyms import synonyms
from rag.text import terms
from rag.types import Document, Passage, version_key

_PAGE_NOUN = r"(?:article|story|piece|page|report|post|write-?up|coverage|analysis|explainer)"
_HEADLINE_NOUN = r"(?:conflict|news|issue|story|fight)"
OVERVIEW_ASKED = re.compile(
    r"\b(?:gist|tl;?\s?dr|synopsis|rundown|in a nutshell)\b|\bbig picture\s*(?:here|[?.!]|$)"
    r"|\b(?:summary|overview|recap)\s+of\b"  # "a quick summary of the article about ..."
    r"|\b(?:summari[sz]e|sum up|recap)\s+(?:for me\s+)?(?:the|this|that)\s+"
    rf"(?:[\w'’-]+\s+){{0,4}}?{_PAGE_NOUN}\b"  # "summarise the wired piece"
    rf"|\bwhat(?:['’]s|\s+is|\s+was)\s+(?:the|this|that)\s+(?:[\w'’-]+\s+){{0,4}}?{_PAGE_NOUN}"
    r"\s+(?:\w+\s+)?about\s*[?.!]*\s*$"  # "what's the ConductAtlas page all about?"
    r"|\b(?:main|key|central)\s+(?:points?|ideas?|message|argument|thrust)\s+of\b"
    rf"|\bwhat(?:['’]s|\s+is)\s+the\s+headline(?:\s+{_HEADLINE_NOUN})?\s*(?:[?.!]|$|right|today|now"
    rf"|here|on|in|about|from|for)|\bheadline\s+{_HEADLINE_NOUN}\b",
    re.IGNORECASE,
)
# Not an overview: another wh-question ("who wrote the summary of ...?", "in a nutshell, why
# ...?"), what a summary says ("what does the overview of X say about ...?"), whether one
# exists ("is there a summary of ...?"), the gist of a reason ("the gist of why they ...")
_NOT_OVERVIEW = re.compile(
    r"\b(?:who|whom|whose|when|where|why|which|how\s+(?:many|much|long))\b"
    r"|\b(?:summary|overview|recap)\b.*\b(?:say|says|said|mention|mentions|cover|covers)\b"
    r"|^\s*(?:is|are)\s+there\b|\b(?:gist|summary|overview)\s+of\s+(?:what|how|why)\b",
    re.IGNORECASE,
)
# Words that only ask for an overview: no sentence need say them
OVERVIEW_WORDS = frozenset(
    terms(
        "gist tldr tl dr synopsis rundown nutshell big picture summary summarise summarize "
        "overview recap sum main key central point points idea ideas message argument thrust "
        "headline quick short brief article story piece page report post writeup coverage "
        "analysis explainer about right now current currently "
        "give show tell provide need want please me m i drafting draft note briefing brief memo "
        "prepping prep writing"  # the request around it: "I'm drafting a note: give me ..."
    )
)
_HELD = 0.6  # share of the topic's weight the page must hold
_LED = 0.5  # share its title and opening must hold when the question names no page
_PAGE_NAMED = re.compile(rf"\b{_PAGE_NOUN}s?\b", re.IGNORECASE)
_SHOWN = 3  # sentences of the opening shown
_OPENING_WORDS = 8  # a shorter sentence does not open a page ("Anthropic said no.")
_OPENING_CHUNKS = 2  # chunks of each page fetched for its opening
# Not the page's own words about its subject: a photo's caption, a disclaimer
_NOT_OPENING = re.compile(
    r"\b(?:credit|photograph|photo|image)\s*:|getty images|^\s*an?\s+(?:[\w-]+\s+){0,2}"
    r"(?:illustration|photo|photograph|image|picture)\b|does not constitute|not (?:legal|"
    r"financial|investment) advice|for informational purposes|may vary by",
    re.IGNORECASE,
)
_SENTENCE_END = (".", "!", "?", "”", '"', "’", "'")


def asks_overview(question: str) -> bool:
    """The question asks what a page, or the story, is about as a whole (not who wrote its
    summary)."""
    return OVERVIEW_ASKED.search(question) is not None and not _NOT_OVERVIEW.search(question)


def overview_words(question: str) -> frozenset[str]:
    """The words of the question that only ask for an overview (with the noun after
    "headline": "what's the headline conflict?"), not the page's name."""
    headline = re.search(rf"\bheadline\s+({_HEADLINE_NOUN})\b", question, re.IGNORECASE)
    return OVERVIEW_WORDS | frozenset(terms(headline[1])) if headline else OVERVIEW_WORDS


def overview_blocks(
    question: str,
    weights: dict[str, float],
    candidates: list[Candidate],
    passages: Sequence[Passage],
    outline_of: Callable[[Document], Outline],
    documents: dict[str, Document],
) -> tuple[list[Block], float] | None:
    """The opening sentences of the page the candidates come from that holds most of the
    topic (`weights`; the title and opening break ties), as blocks with the share of the topic
    it holds; None when no page holds enough of it (nor its title and opening, when the
    question names no page) or no retrieved passage holds its opening."""
    total = sum(weights.values())
    if not total:
        return None
    best: tuple[float, float, str] | None = None
    for source in dict.fromkeys(c.passage.source for c in candidates):
        outline = outline_of(documents[source])
        words = outline.words | frozenset(terms(documents[source].title))
        opening = frozenset().union(*(outline.units[i].words for i in _opening(outline)[:_SHOWN]))
        held = sum(w for t, w in weights.items() if t in words) / total
        opening = with_aliases(opening | _title(documents[source]))  # the Pentagon's too
        led = sum(w for t, w in weights.items() if {t, *synonyms(t)} & opening)
        if best is None or (held, led) > best[:2]:
            best = (held, led, source)
    if best is None or best[0] < _HELD:
        return None
    held, led, source = best
    if not _PAGE_NAMED.search(question) and led < _LED * total:
        return None  # "altman memo, gist in a line": a page says it, but is not about it
    outline = outline_of(documents[source])
    ours = [p for p in passages if p.source == source]
    blocks: list[Block] = []
    shown = 0
    for index in _opening(outline):
        if shown >= _SHOWN:
            break
        if any(index in block.indices for block in blocks):
            continue
        unit = outline.units[index]
        passage = next((p for p in ours if p.start_char <= unit.start < p.end_char), None)
        if passage is None:
            break  # the opening was not retrieved: no citation could name its chunk
        indices = _paragraph_from(outline, index, _SHOWN - shown)
        blocks.append(Block(Candidate(passage, outline, index, 1.0), indices))
        shown += len(indices)
    return (blocks, round(held, 4)) if blocks else None


def with_openings(passages: list[Passage], store: StoreReader, looked_at: int) -> list[Passage]:
    """The passages, then the first chunks of the first `looked_at` passages' pages that no
    passage holds yet (scored below all of them), so that a page's opening can be cited."""
    sources = list(dict.fromkeys(p.source for p in passages[:looked_at]))
    return [*passages, *_chunks_not_held(passages, store, sources, _OPENING_CHUNKS)]


def page_passages(passages: list[Passage], store: StoreReader, source: str) -> list[Passage]:
    """The passages of page `source`, then its chunks no passage holds (scored below them):
    all of one page, where its byline or date line can be cited."""
    held = [p for p in passages if p.source == source]
    return [*held, *_chunks_not_held(held or passages, store, [source], None)]


def _chunks_not_held(
    passages: list[Passage], store: StoreReader, sources: list[str], first: int | None
) -> list[Passage]:
    """The `first` chunks (None: all) of each page in `sources` that no passage holds, as
    passages scored at the lowest passage's score."""
    infos = [info for source in sources if (info := store.info(source)) is not None]
    versions = [version_key(info.source, info.content_hash) for info in infos]
    chunks = store.version_chunks(versions) if versions else {}
    lowest = min((p.score for p in passages), default=0.0)
    added: list[Passage] = []
    for version in versions:
        for chunk in sorted(chunks.get(version, []), key=lambda c: c.start_char)[:first]:
            if any(p.source == chunk.source and p.start_char <= chunk.start_char < p.end_char
                   for p in passages):  # fmt: skip
                continue
            added.append(
                Passage(
                    source=chunk.source,
                    title=chunk.title,
                    chunk_id=chunk.chunk_id,
                    score=lowest,
                    start_char=chunk.start_char,
                    end_char=chunk.end_char,
                    text=chunk.text,
                    page=chunk.page,
                )
            )
    return added


def _opening(outline: Outline) -> list[int]:
    """The page's sentences that may open a summary of it, in order: body sentences (not a
    heading, furniture, a reference, a caption or a disclaimer) long enough to say something."""
    found = []
    for index, unit in enumerate(outline.units):
        if unit.end <= outline.body_start or unit.is_heading or unit.is_furniture:
            continue
        text = outline.unit_text(index).strip()
        if (
            unit.in_references
            or outline.word_count(index) < _OPENING_WORDS
            or not text.endswith(_SENTENCE_END)
            or _NOT_OPENING.search(text)
        ):
            continue
        found.append(index)
    return found


def _paragraph_from(outline: Outline, index: int, room: int) -> list[int]:
    """The sentence and the ones after it in its paragraph, up to `room` (short ones too:
    "Anthropic said no."), stopping at a caption or disclaimer."""
    indices = [index]
    units = outline.units
    following = index + 1
    while len(indices) < room and following < len(units):
        unit = units[following]
        if (
            unit.paragraph != units[index].paragraph
            or unit.is_heading
            or unit.is_furniture
            or _NOT_OPENING.search(outline.unit_text(following))
        ):
            break
        indices.append(following)
        following += 1
    return indices


def _title(document: Document) -> frozenset[str]:
    return frozenset(terms(document.title))
