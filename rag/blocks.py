"""The blocks an answer shows: a lead sentence with the sentences it needs around it (the one
it refers back to, the rest of its paragraph, a bulleted list's items, a prose list until it
closes), cited together as one span."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.outline import BLOCK_WORDS, TITLE_WORDS, Candidate, Outline, Unit

_PICTURE = re.compile(r"^\W*(?:\d+\.\s*)?\[?!\[")  # a markdown picture: "1. [![alt](src)](href)"
_WE = re.compile(r"\W*we\b", re.IGNORECASE)  # "We are ...", "We're ..."
_MAX_ALSO = 2  # extra citations for one block
_UNRELATED = 0.15  # similarity below which a sentence sharing only words with the question is
# not shown beside the lead ("a stylized US flag" for "how do I flag a bad response?")
_SAME_MEANING = 0.8  # cosine above which two sentences say the same thing (cited together)
_CLOSING = (".", "!", "?", ",", ";", ":", "”", '"', ")")
_OPENS_LISTING = re.compile(r"\W*(?:on (?:the )?one (?:side|hand)|first(?:ly)?\b)", re.IGNORECASE)
_CLOSES_LISTING = re.compile(
    r"\W*(?:on the other (?:side|hand)|second(?:ly)?\b|finally\b|lastly\b)", re.IGNORECASE
)
# '"This is such an unnecessary dispute," says Horowitz. "It is about theoretical use cases
# ...": a quote its attribution interrupts goes on in the next sentence, which gives its reason
_ATTRIBUTED = re.compile(
    r"[”\"],?\s+(?:[\w.-]+\s+){0,3}?(?:says|said|adds|added|explains|explained|tells|told"
    r"|writes|wrote|argues|argued)\b[^“\"]*$",
    re.IGNORECASE,
)


@dataclass
class Block:
    """Consecutive sentences of one document, cited together, and sentences elsewhere that
    say the same thing (`also`: cited alongside instead of repeated)."""

    lead: Candidate
    indices: list[int]
    also: list[Candidate] = field(default_factory=list)

    @property
    def units(self) -> list[Unit]:
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


def grow_block(lead: Candidate, room: int, taken: list[Block]) -> Block:
    """The lead sentence, the one before it when it refers back to it (or is a question
    about it), and the sentences after it in its paragraph (under a heading: its section; in
    a bulleted list: its items) while the block is short; a short block also takes a next
    paragraph that refers back to it, or, leading the answer, one that opens quoting someone.
    A heading does not count against `room`; page furniture and sentences already in `taken`
    blocks are never taken."""
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
    said = lead.outline.unit_text(lead.index)  # a question in the text (what does it ask
    # about?), or "We are not affiliated ...": who "we" are is said before it
    leans = said.rstrip().endswith("?") or bool(_WE.match(said))
    titles = unit.is_heading or is_title_line(said)  # names what follows ("How other
    # platforms handle this"), not what came before: a heading
    previous = units[lead.index - 1] if lead.index > 0 else None
    if (
        room > 1
        and previous is not None
        and (unit.refers_back or (leans and previous.paragraph == unit.paragraph))
        and not (titles and not unit.is_item)
        and (unit.is_item or not previous.is_item)  # "this space" is no list's last item
        and free(lead.index - 1)
    ):
        indices.insert(0, lead.index - 1)
    words = sum(lead.outline.word_count(i) for i in indices)
    following = lead.index + 1
    listing = False  # inside "on one side ... on the other": finish it
    quotable = not taken  # the lead block takes one next paragraph quoting someone:
    # "Amodei penned a blog post about ...", then '"These weapons ...," Amodei wrote' (not a
    # later block: it would crowd out the next one's answer, "a six month phase out period")
    while free(following) and sentences() < room:
        after, before = units[following], units[following - 1]
        items = before.is_item and after.is_item  # a bulleted list: its items go together
        listing = items or _opens_listing(lead.outline, indices[-1], listing)
        if words >= (2 * BLOCK_WORDS if listing else BLOCK_WORDS) and not (
            words < 2 * BLOCK_WORDS  # past the limit only to finish a quote (checked only then)
            and after.paragraph == before.paragraph
            and _quote_goes_on(lead.outline, following - 1)
        ):
            break
        continues = (
            items
            or after.paragraph == before.paragraph
            or (unit.is_heading and not after.is_heading)
            or (
                after.refers_back
                and words < BLOCK_WORDS // 2
                and not is_title_line(lead.outline.unit_text(following))
            )
            or (quotable and words < BLOCK_WORDS and opens_quote(lead.outline.unit_text(following)))
        )
        if not continues:
            break
        indices.append(following)
        words += lead.outline.word_count(following)
        quotable = quotable and after.paragraph == before.paragraph
        following += 1
    return Block(lead, indices)


def is_title_line(text: str) -> bool:
    """A short unpunctuated line: a heading its page did not set apart by blank lines ("How
    other platforms handle this"), which names what follows, not what came before."""
    line = text.strip()
    return len(line.split()) <= TITLE_WORDS and not line.endswith(_CLOSING)


def opens_quote(text: str) -> bool:
    """The sentence is someone's words about what came before ('"These weapons also have
    legitimate uses ...," Amodei wrote'): the paragraph before it reported their view."""
    return text.lstrip().startswith(("“", '"')) and bool(_ATTRIBUTED.search(text))


def _quote_goes_on(outline: Outline, index: int) -> bool:
    """Sentence `index` ends a quote with its speaker ('..." says Horowitz.') and the next one
    opens a quote: the same speaker goes on."""
    following = outline.unit_text(index + 1).lstrip()
    return following.startswith(("“", '"')) and bool(_ATTRIBUTED.search(outline.unit_text(index)))


def _opens_listing(outline: Outline, index: int, listing: bool) -> bool:
    """Whether a list in prose is still open after sentence `index`: opened by "on one side"
    or "first", closed by "on the other side", "second", "finally"."""
    text = outline.unit_text(index)
    if _CLOSES_LISTING.match(text):
        return False
    return listing or bool(_OPENS_LISTING.match(text))


def overlaps(candidate: Candidate, block: Block) -> bool:
    """The candidate sentence lies within the block's span."""
    unit = candidate.unit
    same_source = candidate.passage.source == block.lead.passage.source
    return same_source and unit.start < block.end and block.start < unit.end


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a and b) and len(a & b) / len(a | b) > 0.6


def says_same(candidate: Candidate, block: Block) -> bool:
    """Near-duplicates: mostly the same words, or (both embedded) nearly the same meaning."""
    if _similar(candidate.unit.words, block.words):
        return True
    mine = candidate.outline.vectors.get(candidate.index)
    theirs = block.lead.outline.vectors.get(block.lead.index)
    return mine is not None and theirs is not None and float(mine @ theirs) >= _SAME_MEANING


def holds_list(block: Block) -> bool:
    """The block holds a bulleted list."""
    return any(unit.is_item for unit in block.units)


def is_picture(candidate: Candidate) -> bool:
    """The sentence is a markdown picture's alt text ("[![Listing image for ...](...)"), which
    answers nothing."""
    return _PICTURE.match(candidate.outline.unit_text(candidate.index)) is not None


def supporting(first: Block, ranked: list[Candidate], top_score: float, most: int) -> list[Block]:
    """The lead block, then the next best sentences (within 80 % of the best score, and
    close enough in meaning) as blocks of their own, up to `most` sentences; one saying
    the same as a block already chosen is cited alongside it instead."""
    blocks = [first]
    used = first.sentences
    for other in ranked:
        if used >= most or other.score < 0.8 * top_score:
            break
        unrelated = other.similarity < _UNRELATED and other.index in other.outline.vectors
        if unrelated or is_picture(other):
            continue  # a picture's alt text ("[![Listing image for ...](...)") backs nothing
        if any(overlaps(other, block) for block in blocks):
            continue
        same = next((block for block in blocks if says_same(other, block)), None)
        if same is not None:
            if not other.unit.is_heading and len(same.also) < _MAX_ALSO:
                same.also.append(other)
            continue
        block = grow_block(other, most - used, blocks)
        if block.sentences:  # a heading alone adds nothing
            blocks.append(block)
            used += block.sentences
    return blocks
