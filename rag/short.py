"""The direct answer said on its own ("$200 million", "Pete Hegseth", "No: ...", "Because
..."), taken from the blocks the engine chose, by the kind of question; none when the blocks
hold nothing of the asked-for kind."""

from __future__ import annotations

import re
from collections.abc import Callable

from rag.forms import asks_consequence, asks_sequel, consequence, purpose, speaker_terms
from rag.named import NO_NAMES, called_name, filled, filler, listed, named_as_asked
from rag.outline import Block, Entity, Outline
from rag.questions import Kind, Shape
from rag.roles import asks_several
from rag.said import lead_sentence, said_as, shown_sentences, shown_units, trimmed
from rag.spans import answer_span
from rag.subjects import asks_name
from rag.text import clean_for_display, terms
from rag.ties import MAX_HOPS, ROLE_HOPS, Asked, hops, read_question
from rag.types import ShortAnswer
from rag.who_is import people_of, role_of
from rag.yes_no import verdict

_WORD = re.compile(r"[A-Za-z0-9]+")
_BECAUSE = re.compile(r"\bbecause\b(?! of)", re.IGNORECASE)
_BECAUSE_OF = re.compile(
    r"\b(?:because of|due to|owing to|as a result of|thanks to|on account of)\b", re.IGNORECASE
)
_FOLLOWS = re.compile(r"\b(?:comes?|came|coming) (after|amid)\b", re.IGNORECASE)
_CAUSE = re.compile(
    r"\b(?:prohibit\w*|forbid\w*|bann?(?:ed|s)?|violat\w*|in order to|so that|in response to"
    r"|led to|caus(?:e|ed|es)|reasons?|aim(?:ed|s)? to|designed to"
    r"|(?:claim|argu|warn)(?:ing|ed|es|s)? that|citing|over concerns?)\b",  # as rag/forms.py
    re.IGNORECASE,
)
_COPULA = re.compile(r"\b(?:is|are|was|were|refers to|means|describes)\s+", re.IGNORECASE)
_LINK_VERB = re.compile(
    r"\b(?:is|are|was|were|include[sd]?|including|consists? of|called|known as|named"
    r"|refers? to|means|causes?|caused by|leads? to|results? in)\s+",
    re.IGNORECASE,
)
_RESTATED = 0.6  # share of a sentence's words before its verb that the question says
_SUPPOSING = re.compile(r"\s*(?:if|unless)\b", re.IGNORECASE)
_BARE_SPAN = re.compile(
    r"^(?:the\s+)?(?:seconds|minutes|hours|days|weeks|months|years|decades|centuries)$", re.I
)
_MARKUP_OR_GLUED = re.compile(r"\]\(|https?:|[\[\]]|\d[A-Z][a-z]")
_QUOTED = re.compile(r"[\"“]([^\"”\n]{1,80})[\"”]")
_QUOTATION = re.compile(r"[\"“]([^\"”\n]{8,400})[\"”]")
_TITLE_SMALL_WORDS = frozenset("a an the and or of in on at to for with by from".split())
_SLOTTED = (Kind.WHO, Kind.WHICH, Kind.WHERE)  # names and places: read from the parse too
_SHORT_SENTENCE = 30  # words: a longer definition or rest of a sentence is no short answer
_CONJUNCTIONS = frozenset("but and so yet however still".split())
_LEAD_WORDS = frozenset(
    "the a an it its this that these those they their there he she his her we our in on "
    "at for to by as of".split()
)

_ROLE_KINDS = (Kind.WHO, Kind.DEFINITION)
_PLACED = (
    Kind.WHERE,
    Kind.WHEN,
)  # asked where or when: a place or time the event is at  # "who is Pete Hegseth?" reads as either


def find_short_answer(
    shape: Shape, question: str, asked: frozenset[str], blocks: list[Block]
) -> tuple[ShortAnswer, int] | None:
    """The short answer and the index of the block it comes from (the lead block is tried
    first), or None. `asked` is the question's terms: an entity made only of them repeats the
    question, and the nearest to them is preferred."""
    if speaker_terms(question):  # "what did Trump say ...?": his quoted words, if quoted
        quoted = _their_words(blocks[0])
        if quoted is not None:
            return quoted, 0
    if asks_name(question):  # a name given the thing asked about, or none: no guess
        return called_name(asked, blocks)
    if shape.kind in (Kind.WHICH, Kind.OTHER):
        named = named_as_asked(question, asked, blocks)
        if named is not None:
            return named
    if shape.kind in _ROLE_KINDS and (role := role_of(question, blocks)) is not None:
        return role
    if shape.labels:
        by_name = shape.kind in _SLOTTED and not set(shape.labels) & NO_NAMES
        found = filled(question, asked, blocks[0]) if by_name else None
        if found is None:
            tied = read_question(question, asked) if _asks_for_person(shape) else None
            found = _entity(shape, asked, blocks, tied)
        if found is not None and by_name and asks_several(question):
            return listed(found, blocks, asked), found[1]
        return found
    finders: dict[Kind, Callable[[], tuple[ShortAnswer, int] | None]] = {
        Kind.YES_NO: lambda: _verdict(question, asked, blocks),
        Kind.REASON: lambda: _reason(question, blocks),
        Kind.DEFINITION: lambda: _definition(shape.subject, blocks),
    }
    if shape.kind in finders:
        found = finders[shape.kind]()
        if found is not None:
            return found
    if asks_sequel(question):
        return None  # the lead says the event asked about; the answer follows it
    if asks_consequence(question) and (said := consequence(blocks[0])) is not None:
        return said, 0
    found = _rest_of_sentence(asked, blocks[0]) or _answer_span(shape.kind, asked, blocks[0])
    if shape.kind is Kind.YES_NO and not (found and _names_an_alternative(question, found[0])):
        return None  # a clause of the lead would drop what decides a yes or no ("these ways"
        # without "does not use AI in"): only a choice question's alternative is said alone
    return found


def _their_words(block: Block) -> ShortAnswer | None:
    """The words the lead sentence quotes (of three words or more), without the quotation
    marks and the comma closing them inside: what a "what did X say" question asks for."""
    outline = block.lead.outline
    unit = outline.units[block.lead.index]
    for quote in _QUOTATION.finditer(outline.text, unit.start, unit.end):
        start, end = quote.span(1)
        while end > start and outline.text[end - 1] in ",;:. ":
            end -= 1
        if len(outline.text[start:end].split()) >= 3:
            return said_as(outline, start, end)
    return None


def _names_an_alternative(question: str, short: ShortAnswer) -> bool:
    """Whether the short answer names one side of the question's last "A or B" ("Is the
    bread kept on shelves or in baskets?": "Kept on open shelves")."""
    before, joined, after = question.rstrip(" ?").rpartition(" or ")
    if not joined:
        return False
    sides = set(terms(" ".join(before.split()[-3:]))) | set(terms(after))
    return bool(sides & set(terms(short.text)))


def names_answer(
    shape: Shape, question: str, asked: frozenset[str], outline: Outline, indices: list[int]
) -> bool:
    """One of the sentences at `indices` names an entity of the asked-for kind that the
    question does not (for a who-question: one tied to its subject; for a deadline: a date
    after "until" or "by", not the "last July" of another event)."""
    tied = read_question(question, asked) if _asks_for_person(shape) else None
    found = outline.entities(indices)
    by_name = shape.kind in _SLOTTED and not set(shape.labels) & NO_NAMES
    if by_name and any(filler(question, asked, outline, i) for i in indices):
        return True  # the words filling its slot: "founded by former OpenAI executives"
    for index in indices:
        keys = _keyed(shape, asked, outline, index, found[index], 0, tied)
        if shape.prefer_after is None and keys:
            return True
        if any(rank < len(shape.labels) for _, _, rank, *_ in keys):
            return True
    return False


def _asks_for_person(shape: Shape) -> bool:
    """A who-question, or a which-question whose noun names a person ("which senator")."""
    return shape.kind == Kind.WHO or (shape.kind == Kind.WHICH and "PERSON" in shape.labels)


def _entity(
    shape: Shape, asked: frozenset[str], blocks: list[Block], tied: Asked | None
) -> tuple[ShortAnswer, int] | None:
    """The entity of the asked-for kind: of the likeliest label (a person for who) in the
    earliest block naming one (its lead sentence read first, the rest only if need be), else
    of another label in the earliest block; then the one nearest the question's words. With
    `tied` (a who-question's subject terms) only a name the sentence's parse ties to the
    subject within one clause counts, the one with the fewest edges between them first."""
    best: tuple[bool, int, int, int, int, int] | None = None
    for order, block in enumerate(blocks):
        outline = block.lead.outline
        shown = shown_units(block)
        lead = [i for i in shown if i == block.lead.index]
        for indices in (lead, [i for i in shown if i != block.lead.index]):
            for index, entities in outline.entities(indices).items():  # lead sentence first
                for key in _keyed(shape, asked, outline, index, entities, order, tied):
                    best = key if best is None or key < best else best
            if best is not None and not best[0]:  # the likeliest label, earliest: done
                return _said_entity(shape, blocks, best)
    return None if best is None else _said_entity(shape, blocks, best)


def _said_entity(
    shape: Shape, blocks: list[Block], key: tuple[bool, int, int, int, int, int]
) -> tuple[ShortAnswer, int]:
    outline = blocks[key[1]].lead.outline
    start, end = trimmed(outline.text, key[4], key[5])
    if shape.kind is Kind.WHO:
        start, end = people_of(outline, start, end)
    return said_as(outline, start, end), key[1]


def _keyed(
    shape: Shape,
    asked: frozenset[str],
    outline: Outline,
    index: int,
    entities: list[Entity],
    order: int,
    tied: Asked | None,
) -> list[tuple[bool, int, int, int, int, int]]:
    """The sentence's entities of the asked-for kind, as sort keys: not of the likeliest
    label, block order, label rank, distance to the question's words (parse edges to its
    subject when `tied`), span."""
    anchors = _anchors(outline, index, asked)
    doc = outline.parsed([index])[index] if tied is not None else None
    keys = []
    for entity in entities:
        said = outline.text[entity.start : entity.end]
        words = set(terms(said))
        if entity.label not in shape.labels or not words or words <= asked:
            continue  # not of the kind, or it repeats the question
        if _MARKUP_OR_GLUED.search(said):
            continue  # a link's markup or words glued by extraction, no answer
        if _BARE_SPAN.match(said):
            continue  # "for weeks": no time and no length
        if _in_title(outline, index, entity):
            continue  # "Dad" of the show "Major Dad": part of a title, not a name of its own
        if not shape.possible and _supposed(outline, index, entity):
            continue  # "If an AI can write 10,000 emails, ...": no fact, no answer
        exempt = asked if shape.kind is Kind.WHEN else frozenset()  # "the March 3 vote"
        if shape.kind in _PLACED and _qualifies(outline, index, entity, exempt):
            continue  # "US military leaders": whose leaders, not where; "the 2026 election
            # cycle": which cycle, not when (unless the noun is the one asked about)
        distance = min((abs(entity.start - a) for a in anchors), default=10_000)
        if doc is not None and tied is not None:
            begin = outline.units[index].start
            span = (entity.start - begin, entity.end - begin)
            to_subject = hops(doc, *span, tied.subject, MAX_HOPS)
            if to_subject is None:
                continue  # not tied to what the question is about: no guess
            in_role = hops(doc, *span, tied.role, ROLE_HOPS) is not None
            distance = to_subject + (0 if in_role else MAX_HOPS + 1)
        unlike = shape.prefer is not None and not shape.prefer.search(said)
        if unlike and shape.only_preferred:
            continue
        if shape.prefer_after is not None:
            before = outline.text[max(0, entity.start - 20) : entity.start]
            unlike = unlike or not shape.prefer_after.search(before)
        rank = shape.labels.index(entity.label) + (len(shape.labels) if unlike else 0)
        keys.append((rank > 0, order, rank, distance, entity.start, entity.end))
    return keys


def _supposed(outline: Outline, index: int, entity: Entity) -> bool:
    """The entity stands in the sentence's opening if- or unless-clause (before its comma)."""
    start = outline.units[index].start
    opening = _SUPPOSING.match(outline.text, start)
    return opening is not None and "," not in outline.text[start : entity.start]


def _qualifies(outline: Outline, index: int, entity: Entity, exempt: frozenset[str]) -> bool:
    """The place or time only qualifies a noun after it ("the US army leaders", "Venezuela's
    president", "the 2026 election cycle"), one not among `exempt` (the terms of the event
    a when-question asks about: "the March 3 vote" says when the vote was)."""
    doc = outline.parsed([index])[index]
    begin = outline.units[index].start
    span = doc.char_span(entity.start - begin, entity.end - begin, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    return (
        root.dep_ in ("compound", "amod", "nmod", "poss", "nummod")
        and root.head.pos_ in ("NOUN", "PROPN")
        and root.head.i >= span.end
        and not set(terms(root.head.text)) & exempt
    )


def _in_title(outline: Outline, index: int, entity: Entity) -> bool:
    unit = outline.units[index]
    return part_of_title(outline.text, entity.start, entity.end, unit.start, unit.end)


def part_of_title(text: str, start: int, end: int, lo: int = 0, hi: int | None = None) -> bool:
    """text[start:end] is a part, not the whole, of a quoted title in text[lo:hi] (quoted
    words in title case: "Major Dad", not a quotation: "six month phase out period")."""
    for quoted in _QUOTED.finditer(text, lo, len(text) if hi is None else hi):
        first, last = quoted.span(1)
        if first <= start and end <= last and (start, end) != (first, last):
            return _title_case(quoted[1])
    return False


def _title_case(words: str) -> bool:
    return all(
        word[:1].isupper() or word.lower() in _TITLE_SMALL_WORDS
        for word in re.findall(r"[^\W\d_][\w'’-]*", words)
    )


def _anchors(outline: Outline, index: int, asked: frozenset[str]) -> list[int]:
    """Where the question's words stand in a sentence (document offsets)."""
    unit = outline.units[index]
    return [
        word.start()
        for word in _WORD.finditer(outline.text, unit.start, unit.end)
        if set(terms(word.group())) & asked
    ]


def _verdict(
    question: str, asked: frozenset[str], blocks: list[Block]
) -> tuple[ShortAnswer, int] | None:
    """ "Yes: ..." or "No: ..." from the sentence that says it (rag/yes_no.py), or None."""
    found = verdict(question, asked, blocks)
    if found is None:
        return None
    order, outline, start, end, text = found
    return said_as(outline, start, end, text), order


def _reason(question: str, blocks: list[Block]) -> tuple[ShortAnswer, int] | None:
    """The first shown sentence of the lead block's document stating a cause: from its
    "because" (or "due to": "Because of ...", "comes after": "After ...") to its end, or the
    whole sentence when a prohibition, purpose or other cause word carries it; the lead
    sentence first, and with no cause word there, the purpose it gives the asked action
    ("... to eliminate restrictions"). Another document's cause is most likely another
    event's: none is taken from there."""
    lead = lead_sentence(blocks[0])
    if lead is not None and (aim := _cause(*lead) or purpose(question, blocks[0])) is not None:
        return aim, 0
    source = blocks[0].lead.outline.source
    for order, outline, start, end in shown_sentences(blocks):
        if outline.source != source:
            continue
        found = _cause(outline, start, end)
        if found is not None:
            return found, order
    return None


def _cause(outline: Outline, start: int, end: int) -> ShortAnswer | None:
    """The sentence text[start:end] said as a reason, if it states one."""
    sentence = outline.text[start:end]
    because = _BECAUSE.search(sentence)
    if because:
        rest = clean_for_display(sentence[because.end() :])
        return said_as(outline, start + because.start(), end, f"Because {rest}")
    because_of = _BECAUSE_OF.search(sentence)
    if because_of:
        rest = clean_for_display(sentence[because_of.end() :])
        return said_as(outline, start + because_of.start(), end, f"Because of {rest}")
    follows = _FOLLOWS.search(sentence)
    if follows:
        rest = clean_for_display(sentence[follows.end() :])
        return said_as(outline, start + follows.start(1), end, f"{follows[1].title()} {rest}")
    if _CAUSE.search(sentence):
        said = clean_for_display(sentence)
        first, _, others = said.partition(" ")
        if first.lower().rstrip(",") in _CONJUNCTIONS:  # "Because But Anthropic argues ..."
            said = others[:1].upper() + others[1:]
            first, _, others = said.partition(" ")
        if first.lower() in _LEAD_WORDS:
            said = f"{first.lower()} {others}"
        return said_as(outline, start, end, f"Because {said}")
    return None


def _definition(subject: str, blocks: list[Block]) -> tuple[ShortAnswer, int] | None:
    """What a shown sentence says the subject is: the words after "X is", "X refers to"."""
    wanted = set(terms(subject))
    for order, outline, start, end in shown_sentences(blocks):
        sentence = outline.text[start:end]
        copula = _COPULA.search(sentence)
        if copula is None or copula.start() > 120:
            continue
        named = wanted and wanted <= set(terms(sentence[: copula.start()]))
        words = len(sentence[copula.end() :].split())
        if named and 1 < words <= _SHORT_SENTENCE:
            return said_as(outline, start + copula.end(), end), order
    return None


def _rest_of_sentence(asked: frozenset[str], block: Block) -> tuple[ShortAnswer, int] | None:
    """What the lead sentence adds to the question: the words after a verb ("is",
    "includes", "causes" ...) whose preceding words mostly restate the question ("The main
    cause of HIV-1 infection in children is | mother-to-child transmission")."""
    lead = lead_sentence(block)
    if lead is None or not asked:
        return None
    outline, start, end = lead
    sentence = outline.text[start:end]
    for verb in _LINK_VERB.finditer(sentence):
        said = terms(sentence[: verb.start()])
        if not said or len(set(said) & asked) < _RESTATED * len(set(said)):
            continue
        if not set(said) & asked:
            continue
        rest = sentence[verb.end() :]
        if 1 < len(rest.split()) <= _SHORT_SENTENCE:
            return said_as(outline, start + verb.end(), end), 0
        return None
    return None


def _answer_span(kind: Kind, asked: frozenset[str], block: Block) -> tuple[ShortAnswer, int] | None:
    """The part of the lead sentence that answers (`answer_span`), as a short answer."""
    lead = lead_sentence(block)
    if lead is None:
        return None
    outline, start, end = lead
    found = answer_span(outline.text[start:end], kind, asked)
    if found is None:
        return None
    return said_as(outline, start + found[0], start + found[1]), 0
