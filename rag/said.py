"""Where a short answer is said from: the sentences an answer's blocks show, their lead
sentence, and a span of a document as a `ShortAnswer` whose quote is exactly its text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rag.blocks import Block
from rag.outline import Outline
from rag.text import clean_for_display
from rag.types import ShortAnswer

_END = re.compile(r"[\s.!?;:,…]+$")
_CURRENCY = "$€£¥"
_EDGES = re.compile(r"^[^\w$€£¥]+|(?:['’]s)?[^\w%]*$")
_OPEN_LINK = re.compile(r"\[[^\]\n]*\]\([^)\s]*$")  # "[Acme Newsroom](https://news.ac"
_GROUP_SPACE = "[ \u00a0\u2009\u202f]"  # thousands written "35 000", often a narrow space
_GROUP_BEFORE = re.compile(rf"(?<![\w.,]){_GROUP_SPACE}?\d{{1,3}}{_GROUP_SPACE}$")
_GROUP_AFTER = re.compile(rf"{_GROUP_SPACE}\d{{3}}(?![\d.,]\d)(?!\w)")
_OPEN_GROUP = re.compile(r"\d{3}(?!\d)")
_CLOSE_GROUP = re.compile(r"(?<![\d.,])\d{1,3}$")


_CASED = re.compile(r"\S*@|[a-z]+[A-Z]")
_UNIT_BEFORE_NOUN = re.compile(  # "a six month phase out period": said alone, "six months"
    r"(?P<count>(?!1[\s-])\d+(?:\.\d+)?|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|fifteen|twenty|thirty|forty|fifty|sixty|ninety|hundred)[\s-](?P<unit>second|minute"
    r"|hour|day|week|month|quarter|year)",
    re.IGNORECASE,
)


def said_as(outline: Outline, start: int, end: int, text: str | None = None) -> ShortAnswer:
    """text[start:end] as a short answer (shown clean, or as `text`); a span ending inside a
    link's address takes the rest of the link, so it is shown as the link's words."""
    if _OPEN_LINK.search(outline.text, start, end):
        close = outline.text.find(")", end, end + 1000)
        end = close + 1 if close != -1 else end
    quote = outline.text[start:end]
    shown = text if text is not None else _counted(clean_for_display(quote))
    keep_case = _CASED.match(shown) is not None  # "usersafety@anthropic.com", "iPhone"
    return ShortAnswer(
        text=shown if keep_case else shown[:1].upper() + shown[1:],
        source=outline.source,
        start_char=start,
        end_char=end,
        quote=quote,
    )


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """An entity's span without a possessive or stray quotes and punctuation at its edges,
    and with the currency sign spaCy leaves out of an amount ("$" of "$45,000")."""
    piece = text[start:end]
    kept = _EDGES.sub("", piece)
    start += piece.index(kept) if kept else 0
    end = start + len(kept)
    start, end = _whole_number(text, start, end)
    if start > 0 and text[start - 1] in _CURRENCY:
        start -= 1
    return start, end


def _whole_number(text: str, start: int, end: int) -> tuple[int, int]:
    """The span widened over the digit groups of a number written with spaces ("35 000",
    "250 000"), which the tagger cuts at the space ("000", "over 250")."""
    while _OPEN_GROUP.match(text, start) and (before := _last_group(text, start)) is not None:
        start = before
    while _CLOSE_GROUP.search(text[max(0, end - 4) : end]):
        after = _GROUP_AFTER.match(text, end)
        if after is None:
            break
        end = after.end()
    return start, end


def _last_group(text: str, start: int) -> int | None:
    """Where the digit group ending just before `start` ("35 " of "35 000") begins."""
    match = _GROUP_BEFORE.search(text[max(0, start - 5) : start])
    return None if match is None else start - len(match[0].lstrip(" \u00a0\u2009\u202f"))


def shown_units(block: Block) -> list[int]:
    return [i for i in block.indices if not block.lead.outline.units[i].is_heading]


def sentence_span(outline: Outline, index: int) -> tuple[int, int]:
    """A sentence's span without its closing punctuation."""
    unit = outline.units[index]
    body = outline.text[unit.start : unit.end]
    return unit.start, unit.start + len(_END.sub("", body))


def shown_sentences(blocks: list[Block]) -> Iterator[tuple[int, Outline, int, int]]:
    """Each shown sentence of the blocks, in order: block number, outline, span (without
    closing punctuation)."""
    for order, block in enumerate(blocks):
        outline = block.lead.outline
        for index in shown_units(block):
            yield (order, outline, *sentence_span(outline, index))


def lead_sentence(block: Block) -> tuple[Outline, int, int] | None:
    """The block's lead sentence (its first shown one when the lead is a heading): outline
    and span without closing punctuation."""
    index = lead_index(block)
    if index is None:
        return None
    return (block.lead.outline, *sentence_span(block.lead.outline, index))


def lead_index(block: Block) -> int | None:
    indices = shown_units(block)
    if not indices:
        return None
    return block.lead.index if block.lead.index in indices else indices[0]


def _counted(shown: str) -> str:
    """A count of a unit written before a noun ("six month", "90-day") in the plural."""
    found = _UNIT_BEFORE_NOUN.fullmatch(shown)
    return f"{found['count']} {found['unit']}s" if found else shown
