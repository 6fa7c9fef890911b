"""The answer text from the chosen blocks: the short answer first, then each block of source
sentences with its citations, every quote the exact document text at its span."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from rag.blocks import Block
from rag.outline import Unit
from rag.text import clean_for_display, terms
from rag.timeline import shown_row
from rag.types import Citation, Document, Passage, ShortAnswer


@dataclass(frozen=True)
class Draft:
    """What an engine returns before timing and retrieval details are attached."""

    answer: str
    citations: list[Citation]
    abstained: bool
    support: float
    short_answer: ShortAnswer | None = None


_MOST = 0.75  # share of a sentence's terms a short answer repeating it holds
_VERBS = frozenset(
    "is are was were has have had said says made makes gave gives told tells took takes sent "
    "won lost left began met sought set put cut kept held".split()
)


def compose(
    blocks: list[Block], passages: list[Passage], support: float, short: ShortAnswer | None
) -> Draft:
    """The answer text: the short answer cited to the first block (unless that block starts
    with exactly its words), then each block with its citations; a sentence the short
    answer already says in full ("Yes: ...", "Because ...") is not repeated."""
    if short is not None and (whole := _whole_sentence(short, blocks[0])) is not None:
        short = whole  # "Announced Friday that he was instructing ...": its whole sentence
    lead = _short_lead(short, blocks[0]) if short is not None else ""
    parts: list[str] = []
    citations: list[Citation] = []
    for block in blocks:
        n = len(citations) + 1
        passage = _covering(block, passages)
        text = block.lead.outline.text
        said = short if lead and block is blocks[0] else None
        pieces = [
            (unit, _displayed(text[unit.start : unit.end]))
            for unit in block.units
            if said is None or not (_says_in_full(said, unit, text) or unit.is_furniture)
        ]  # a byline or date line is shown through the short answer it gives, not as text
        shown = [(unit, piece) for unit, piece in pieces if piece]  # not a bare "1."
        citations.append(_citation(n, passage, block.start, block.end, text))
        for other in block.also:
            unit = other.unit
            citations.append(
                _citation(
                    len(citations) + 1, other.passage, unit.start, unit.end, other.outline.text
                )
            )
        markers = "".join(f"[{c.n}]" for c in citations[n - 1 :])
        if block is blocks[0] and lead:
            parts.append(f"{lead} {markers}")
        if shown and any(not unit.is_heading for unit, _ in shown):
            joined = shown[0][1]
            for (before, earlier), (_, piece) in itertools.pairwise(shown):
                closed = text[before.end - 1] in ".!?…”\"'):"  # "... areas:" + "Safety ..."
                rows = shown_row(earlier) is not None  # a table's rows, one after another
                joined += ("; " if rows else " " if closed else ": ") + piece
            parts.append(f"{joined} {markers}")
    return Draft(" ".join(parts), citations, False, support, short)


def _displayed(quote: str) -> str:
    """The quoted text as prose; a glued table row with its cells set apart."""
    shown = clean_for_display(quote)
    return shown_row(shown) or shown


def _says_in_full(short: ShortAnswer, unit: Unit, text: str) -> bool:
    """The short answer's quote holds the whole sentence (but its closing punctuation), and
    its words say it: a list's labels ("Mass Persuasion, Deepfakes and ...") quote the items
    between them but do not say them."""
    within = short.start_char <= unit.start and unit.end <= short.end_char + 1
    said = set(terms(clean_for_display(text[unit.start : unit.end])))  # not a link's address
    return within and said <= set(terms(short.text))


def _short_lead(short: ShortAnswer, block: Block) -> str:
    """The short answer as the answer's first sentence, its markers to follow; nothing when
    the block shows a sentence starting with exactly those words (headings and page
    furniture are not shown)."""
    outline = block.lead.outline
    first = next((u for u in block.units if not (u.is_heading or u.is_furniture)), None)
    if first and clean_for_display(outline.text[first.start : first.end]).startswith(short.text):
        return ""
    ended = short.text.rstrip("\"'”’)").endswith((".", "!", "?", "…"))  # '… a “red line.”'
    return short.text if ended else f"{short.text}."


def _whole_sentence(short: ShortAnswer, block: Block) -> ShortAnswer | None:
    """The block's first shown sentence as the short answer, when the short answer quotes
    most of it word for word and has left its subject behind ("Announced Friday that he was
    instructing every federal agency ..."): shown whole, it is not followed by a near-copy
    of itself; else None."""
    outline = block.lead.outline
    unit = next((u for u in block.units if not (u.is_heading or u.is_furniture)), None)
    if unit is None or not (unit.start <= short.start_char and short.end_char <= unit.end):
        return None
    if short.text.lower() != clean_for_display(short.quote).lower():
        return None  # reworded: "No: ...", "Because ..." say more than the sentence
    sentence = clean_for_display(outline.text[unit.start : unit.end])
    if len(terms(short.text)) < _MOST * len(terms(sentence)) or not _predicate_only(short, unit):
        return None
    quote = outline.text[unit.start : unit.end]
    return ShortAnswer(
        text=sentence, source=short.source, start_char=unit.start, end_char=unit.end, quote=quote
    )


def _predicate_only(short: ShortAnswer, unit: Unit) -> bool:
    """The short answer starts after its sentence does, on a verb ("announced Friday that
    ..."): a predicate whose subject was left behind, not a phrase that stands alone ("A
    bread made by ...", "Leading AI labs"). Read by the word's form, not parsed: a parse
    cost ~20 ms an answer."""
    words = clean_for_display(short.quote).split()  # "[announced](https://...)": announced
    first = words[0].strip("\"'“”‘’([") if words else ""
    if short.start_char <= unit.start or not first[:1].islower():
        return False
    return first.endswith("ed") or first in _VERBS


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


def _covering(block: Block, passages: list[Passage]) -> Passage:
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


def with_pages(draft: Draft, documents: dict[str, Document]) -> Draft:
    """Citations into paged documents (PDF) say which page their span starts on."""
    citations = [
        c.model_copy(update={"page": documents[c.source].page_at(c.start_char)})
        if c.source in documents
        else c
        for c in draft.citations
    ]
    return Draft(draft.answer, citations, draft.abstained, draft.support, draft.short_answer)
