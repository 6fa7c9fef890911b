"""Short answers that are entities of the asked-for kind (a person for who, a date for when,
an amount for how much), picked from the tagger's entities of the shown sentences: of the
likeliest label, nearest the question's words, tied by the parse to the question's subject
for a who-question; never a name that repeats the question, qualifies a noun or sits in a
title."""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Token

from rag.blocks import Block
from rag.kinds import VENUES
from rag.named import NO_NAMES, filler
from rag.outline import Entity, Outline
from rag.questions import CLOCK_TIME, Kind, Shape
from rag.said import said_as, shown_units, trimmed
from rag.synonyms import synonyms
from rag.text import QUOTATION, terms
from rag.ties import MAX_HOPS, PERSON_TITLES, ROLE_HOPS, Asked, hops, read_question, title_owner
from rag.types import ShortAnswer
from rag.who_is import people_of

SLOTTED = (Kind.WHO, Kind.WHICH, Kind.WHERE)
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})  # names and places: read from the parse too
_WORD = re.compile(r"[A-Za-z0-9]+")
_TITLE_WORDS = re.compile(r"(?:[A-Za-z]\.){2,}|[\w&'’-]*\w")  # "U.S.", "Anthropic's" whole
_TITLE_MODIFIERS = frozenset("former then vice deputy acting late interim the a".split())
_SUPPOSING = re.compile(r"\s*(?:if|unless)\b", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“]([^\"”\n]{1,80})[\"”]")
_APPOSITIVE = re.compile(r",\s+((?:an?|the|former|then)\s+[^,.;:()]{1,60})")
_IN_QUOTES = 1_000  # characters of distance a place inside quoted words counts as
_TITLE_SMALL_WORDS = frozenset("a an the and or of in on at to for with by from".split())
_TIME_NOUNS = frozenset("period time era day year month date moment decade century".split())
_COMPANY = frozenset(
    terms("company companies firm firms lab labs startup organization organisation maker business")
)
_PLACED = (Kind.WHERE, Kind.WHEN)  # asked where or when: a place or time the event is at
_BARE_SPAN = re.compile(
    r"^(?:the\s+)?(?:seconds|minutes|hours|days|weeks|months|years|decades|centuries)$", re.I
)
_MARKUP_OR_GLUED = re.compile(r"\]\(|https?:|[\[\]]|\d[A-Z][a-z]")
_ROW_DATE = re.compile(r"(?:[A-Z][a-z]+\s+)?(?:19|20)\d\d(?=[A-Z][a-z])")  # "Early 2026Pentagon"
_CELLS_JOINED = re.compile(r"[a-z][A-Z][a-z]")  # "phase out ClaudeLegal challenges"
_GLUED_AFTER_DATE = re.compile(r"(?<=\d)[A-Z][a-z]")  # "March 2026Court": a glued table row
_CLOCK = r"\d{1,2}(?::\d{2})?\s*(?:a\.?m\b\.?|p\.?m\b\.?)"
_RANGE_END = re.compile(rf"\.?\s*(?:to|until|till|through|-|–)\s*{_CLOCK}", re.IGNORECASE)
_NUMBER = r"[$€£¥]?\d(?:[\d,.]|[ \u00a0\u2009\u202f](?=\d{3}(?!\d)))*%?"  # "35 000", "1,250", "14%"
_FROM_NUMBER = re.compile(
    rf"(?:\bbetween\s+{_NUMBER}\s+and|(?:\bfrom\s+)?(?<![\w.,]){_NUMBER}\s*(?:to|-|–))\s*$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<![\d,.])(?:19|20)\d\d(?![\d,.]?\d)")
_TO_NUMBER = re.compile(rf"\s*(?:to|-|–)\s*{_NUMBER}(?![\w.,]\d)", re.IGNORECASE)


def names_answer(
    shape: Shape, question: str, asked: frozenset[str], outline: Outline, indices: list[int]
) -> bool:
    """One of the sentences at `indices` names an entity of the asked-for kind that the
    question does not (for a who-question: one tied to its subject; for a deadline: a date
    after "until" or "by", not the "last July" of another event)."""
    tied = read_question(question, asked) if asks_for_person(shape) else None
    found = outline.entities(indices)
    by_name = shape.kind in SLOTTED and not set(shape.labels) & NO_NAMES
    if by_name and any(filler(question, asked, outline, i) for i in indices):
        return True  # the words filling its slot: "founded by former OpenAI executives"
    for index in indices:
        keys = _keyed(shape, asked, outline, index, found[index], 0, tied)
        if shape.prefer_after is None and keys:
            return True
        if any(rank < len(shape.labels) for _, _, rank, *_ in keys):
            return True
    return False


def asks_for_person(shape: Shape) -> bool:
    """A who-question, or a which-question whose noun names a person ("which senator")."""
    return shape.kind == Kind.WHO or (shape.kind == Kind.WHICH and "PERSON" in shape.labels)


def entity_of_kind(
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
            if best is None and indices is lead and shape.kind is Kind.WHO:
                meant = _pronoun_person(outline, block.lead.index, asked)
                if meant is not None:  # "He gave the company until Friday": Hegseth, not
                    return said_as(outline, *meant), order  # Amodei, whom he met
    return None if best is None else _said_entity(shape, blocks, best)


def _pronoun_person(outline: Outline, index: int, asked: frozenset[str]) -> tuple[int, int] | None:
    """The person a sentence's subject "he" or "she" stands for: the one the sentence before
    it in the paragraph names as its subject ("Defense Secretary Pete Hegseth met with
    Anthropic's CEO, Dario Amodei, ... He gave the company until Friday ..."), unless the
    question names them; None otherwise."""
    before = outline.units[index - 1] if index > 0 else None
    if before is None or before.is_heading or before.paragraph != outline.units[index].paragraph:
        return None
    if _main_subject(outline, index)[1] not in ("he", "she"):
        return None
    at, _ = _main_subject(outline, index - 1)
    people = outline.entities([index - 1])[index - 1]
    found = next((e for e in people if e.label == "PERSON" and e.start <= at < e.end), None)
    if found is None or set(terms(outline.text[found.start : found.end])) <= asked:
        return None  # "who did Hegseth give a deadline to?": not Hegseth
    return found.start, found.end


def _main_subject(outline: Outline, index: int) -> tuple[int, str]:
    """Where the subject of the unit's main verb stands (a document offset; -1 for none),
    and its words in lower case."""
    doc = outline.parsed([index])[index]
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    subject = next(
        (c for c in (root.children if root is not None else ()) if c.dep_ in _SUBJECTS), None
    )
    if subject is None:
        return -1, ""
    return outline.units[index].start + subject.idx, subject.lower_


def _said_entity(
    shape: Shape, blocks: list[Block], key: tuple[bool, int, int, int, int, int]
) -> tuple[ShortAnswer, int]:
    outline = blocks[key[1]].lead.outline
    start, end = trimmed(outline.text, key[4], key[5])
    if shape.kind is Kind.WHO:
        start, end = people_of(outline, start, end)
    if shape.prefer is CLOCK_TIME:
        start, end = _clock_range(outline.text, start, end)
    elif shape.kind is Kind.AMOUNT:
        start, end = _number_range(outline.text, start, end)
    return said_as(outline, start, end), key[1]


def _number_range(text: str, start: int, end: int) -> tuple[int, int]:
    """An amount with the other end of the range it closes or opens ("35 000 to 60 000",
    "between 50 and 310", "14% to 45%"), which the tagger tags as two entities."""
    said = text[start:end]
    before = _FROM_NUMBER.search(text[max(0, start - 40) : start])
    if before is not None and said[:1] in "$€£¥0123456789" and _alike(before[0], said):
        return start - len(before[0]), end
    after = _TO_NUMBER.match(text, end)
    if after is not None and said[-1:] in "0123456789%" and _alike(said, after[0]):
        return start, after.end()
    return start, end


def _alike(one: str, other: str) -> bool:
    """Neither or both ends of a range are years: "2019 to 300 people" is no range."""
    return bool(_YEAR.search(one)) == bool(_YEAR.search(other))


def _clock_range(text: str, start: int, end: int) -> tuple[int, int]:
    """A clock time from its first digit, with the time ending the range it opens ("the
    hours 11 a.m" -> "11 a.m. to 2 a.m.")."""
    digit = re.search(r"\d", text[start:end])
    start = start + digit.start() if digit else start
    after = _RANGE_END.match(text, end)
    return start, after.end() if after else end


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
    if shape.labels[:1] == ("DATE",):  # asked when: a timeline row's date cell answers
        entities = _with_row_date(outline, index, entities)
    doc = outline.parsed([index])[index] if tied is not None else None
    keys = []
    for tagged in entities:
        unglued = _unglued(outline.text, tagged)
        entity = _link_words(outline.text, unglued)  # "Truth Social" of "[Truth Social](...)"
        said = outline.text[entity.start : entity.end]
        words = set(terms(said)) or ({said.lower()} if "&" in said else set())  # "AT&T"
        if entity.label not in shape.labels or not words or words <= asked:
            continue  # not of the kind, or it repeats the question
        if (entity.start, entity.end) in outline.company_spans and not _company_asked(shape):
            continue  # "Anthropic" for "which court ...?" or "which social media site ...?"
        if _MARKUP_OR_GLUED.search(said):
            continue  # a link's markup or words glued by extraction, no answer
        if _CELLS_JOINED.search(said) and _ROW_DATE.match(outline.text, outline.units[index].start):
            continue  # "ClaudeLegal" of a table row: two cells' words, no name
        if _BARE_SPAN.match(said):
            continue  # "for weeks": no time and no length
        if _in_title(outline, index, entity):
            continue  # "Dad" of the show "Major Dad": part of a title, not a name of its own
        if not shape.possible and _supposed(outline, index, entity):
            continue  # "If an AI can write 10,000 emails, ...": no fact, no answer
        exempt = asked if shape.kind is Kind.WHEN else frozenset()  # "the March 3 vote"
        row_start = entity.start == outline.units[index].start
        cell = unglued != tagged or (row_start and _ROW_DATE.match(outline.text, entity.start))
        # a table row's date cell qualifies no noun after it
        placed = shape.kind in _PLACED or shape.places
        if placed and not cell and _qualifies(outline, index, entity, exempt):
            continue  # "US military leaders": whose leaders, not where; "the 2026 election
            # cycle": which cycle, not when (unless the noun is the one asked about)
        distance = min((abs(entity.start - a) for a in anchors), default=10_000)
        if doc is not None and tied is not None:
            begin = outline.units[index].start
            span = (entity.start - begin, entity.end - begin)
            to_subject = hops(doc, *span, tied.subject, MAX_HOPS)
            owned = title_owner(outline.text, entity.start, entity.end)
            own = owned is not None and bool(set(terms(owned[0])) & tied.subject)
            if own and owned is not None and set(terms(owned[1])) & (tied.role | tied.titles):
                to_subject = 0  # "Venezuela's president, Nicolás Maduro" for "who is
                # Venezuela's president?"
            if to_subject is None and _titled(outline.text, entity.start, tied):
                to_subject = 0  # "President James K. Polk" for "who was president ...?"
            if to_subject is None and _described(
                outline.text, entity.end, shape.shape_words | tied.titles
            ):
                to_subject = 0  # "Michael Horowitz, an expert on ..." for "which expert ...?"
            if to_subject is None:
                continue  # not tied to what the question is about: no guess
            if tied.titles and owned is not None and not own:
                continue  # "Venezuela's president, Nicolás Maduro" heads no Pentagon
            in_role = hops(doc, *span, tied.role | tied.titles, ROLE_HOPS) is not None
            if tied.titles & PERSON_TITLES and entity.label != "PERSON" and not in_role:
                continue  # "Google, OpenAI and xAI signed ..." names no head of OpenAI
            distance = to_subject + (0 if in_role else MAX_HOPS + 1)
        if (shape.kind is Kind.WHERE or shape.labels == VENUES) and _quoted(outline, index, entity):
            distance += _IN_QUOTES  # "the Department of War" in the words posted, not where
        unlike = shape.prefer is not None and not shape.prefer.search(said)
        if shape.prefer_after is not None:
            before = outline.text[max(0, entity.start - 20) : entity.start]
            unlike = unlike or not shape.prefer_after.search(before)
        if unlike and shape.only_preferred:
            continue  # "Friday" for "how long", "Anthropic" for "where was it announced"
        rank = shape.labels.index(entity.label) + (len(shape.labels) if unlike else 0)
        keys.append((rank > 0, order, rank, distance, entity.start, entity.end))
    return keys


def _company_asked(shape: Shape) -> bool:
    """A company may answer: asked who, or which company (firm, lab ...), not which court."""
    return shape.kind is Kind.WHO or not shape.shape_words or bool(shape.shape_words & _COMPANY)


def _quoted(outline: Outline, index: int, entity: Entity) -> bool:
    """The entity stands inside a quotation of the sentence."""
    unit = outline.units[index]
    return any(
        quote.start() < entity.start and entity.end < quote.end()
        for quote in QUOTATION.finditer(outline.text, unit.start, unit.end)
    )


def _with_row_date(outline: Outline, index: int, entities: list[Entity]) -> list[Entity]:
    """The entities with the date opening a glued table row as one DATE entity, where the
    tagger missed it ("Early 2026" of "Early 2026Pentagon contract dispute ...") or cut it
    ("April" of "April 2026Direct engagement ...")."""
    start = outline.units[index].start
    opening = _ROW_DATE.match(outline.text, start, outline.units[index].end)
    if opening is None:
        return entities
    kept = [e for e in entities if not start <= e.start < opening.end()]
    return [Entity(start, opening.end(), "DATE"), *kept]


def _unglued(text: str, entity: Entity) -> Entity:
    """The entity without the cell page extraction glued to its end ("March 2026" of
    "March 2026Court rulings ...", a table row read as one line)."""
    glued = _GLUED_AFTER_DATE.search(text, entity.start, entity.end)
    return entity if glued is None else replace(entity, end=glued.start())


def _link_words(text: str, entity: Entity) -> Entity:
    """The entity without the address of the link whose words it is (the tagger reads a
    link's words with its markup blanked, so the span runs on over the address)."""
    markup = text.find("](", entity.start, entity.end)
    return entity if markup <= entity.start else replace(entity, end=markup)


def _titled(text: str, start: int, tied: Asked) -> bool:
    """The word before a name is the role the question asks about, as its title, and no
    other owner's ("former U.S. President Donald Trump" is not Anthropic's president)."""
    before = list(_TITLE_WORDS.finditer(text, max(0, start - 40), start))
    if not before or not before[-1][0][:1].isupper() or not set(terms(before[-1][0])) & tied.role:
        return False
    joined = len(before) > 1 and not text[before[-2].end() : before[-1].start()].strip()
    owner = before[-2][0] if joined else ""  # not the last word of the sentence before
    foreign = owner[:1].isupper() and owner.lower() not in _TITLE_MODIFIERS
    return not foreign or bool(set(terms(owner)) & tied.subject)


def _described(text: str, end: int, nouns: frozenset[str]) -> bool:
    """The words set off after a name ("Michael Horowitz, an expert on military use of AI")
    call it what a which-question asks for ("which expert ...?")."""
    after = _APPOSITIVE.match(text, end)
    return bool(nouns) and after is not None and bool(set(terms(after[1])) & nouns)


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
    ) or (bool(exempt) and _of_described_noun(root, exempt))


def _of_described_noun(root: Token, exempt: frozenset[str]) -> bool:
    """The time says when a clause describing a noun happened, neither of them asked about
    ("a deal struck with Anthropic last July" is no answer to when a policy was updated)."""
    verb = root.head.head if root.dep_ == "pobj" and root.head.dep_ == "prep" else root.head
    if root.dep_ not in ("npadvmod", "tmod", "pobj") or verb.dep_ not in ("acl", "relcl"):
        return False
    if verb.head.lower_.rstrip("s") in _TIME_NOUNS:
        return False  # "the period during which Hong Kong was under British rule from 1842"
    described = {token.i for token in verb.head.subtree}
    said = {term for word in (verb.text, verb.head.text) for term in terms(word)}
    said.update(  # "... to work with the US military, through a deal signed ... last year":
        term  # the rest of the sentence tells what the question asks, the deal how (its
        for token in root.doc  # names are only whom it is about)
        if token.i not in described and token.pos_ != "PROPN"
        for term in terms(token.text)
    )
    return not any(term in exempt or synonyms(term) & exempt for term in said)


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
