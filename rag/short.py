"""The direct answer said on its own ("$200 million", "Pete Hegseth", "No: ...", "Because
..."), taken from the blocks the engine chose, by the kind of question; none when the blocks
hold nothing of the asked-for kind."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from rag import nlp
from rag.advice import ADVICE_ASKED, advice
from rag.blocks import Block, opens_quote
from rag.clauses import consequence
from rag.definitions import PASSIVE, SHORT_SENTENCE, definition
from rag.examples import EXAMPLES_ASKED, examples
from rag.forms import (
    asks_consequence,
    asks_sequel,
    asks_sources,
    speaker_terms,
)
from rag.listed import LISTED_QUESTION, item_labels
from rag.moves import MOVE_ASKED, destination
from rag.name_calling import called_one, epithet
from rag.named import NO_NAMES, called_name, filled, listed, named_as_asked, quote_speaker
from rag.outline import Outline
from rag.questions import Kind, Shape, asks_role
from rag.reasons import reason
from rag.roles import asked_slot, asks_several
from rag.said import lead_sentence, said_as, sentence_span, shown_sentences, shown_units, trimmed
from rag.spans import answer_span
from rag.speakers import named_in
from rag.status import STATUS_QUESTION, status_cell
from rag.subjects import asks_name
from rag.text import QUOTATION, terms
from rag.ties import read_question
from rag.timeline import shown_row
from rag.typed import SLOTTED, asks_for_person, entity_of_kind
from rag.types import ShortAnswer
from rag.views import view, viewer
from rag.who_is import role_of
from rag.yes_no import denial_after, verdict

_CHOICE = re.compile(  # "... in Taiwan or California?", not "... or not?"
    r"\bor\s+(?!not\b|no\b|otherwise\b|anything\b|something\b)\w+[^,;]*\?*\s*$", re.IGNORECASE
)
# "2026Court": a year glued to a table cell by extraction (not a gene's "XBP1Supregulation")
# "who said ...?", "who wrote that ...?": a quote's speaker answers
_WHO_SAID = re.compile(
    r"^\s*who\s+(?:said|says|wrote|writes|called|calls|argued|argues|claimed|claims|told|put)\b",
    re.IGNORECASE,
)
_GLUED_ROW = re.compile(r"\b\d{4}[A-Z][a-z]")
_CELL_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z][a-z])")
_DATE_CELL = re.compile(r"(?:[A-Za-z]+\s+)?\d{4}")  # "Early 2026", "March 2026"
_NEW_IN_CELL = 0.5  # share of a cell's words the question does not say
_ASKS_WHERE_TO = re.compile(  # "where do i report ...?": the address and any other way
    r"\bwhere\s+(?:do|can|should|would|could)\s+(?:i|we|you|users?|people|staff)\s+"
    r"(?:go\s+to\s+)?(?:report|send|flag|submit|complain|contact|reach|write)\b",
    re.IGNORECASE,
)
# "at usersafety@anthropic.com or via the in-product thumbs-down feedback feature"
_CHANNELS = re.compile(
    r"\b(?:at|to|via)\s+[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"(?:\s+or\s+(?:via|through|by|using|in|on)\b[^.;]*)?(?=[.;]|$)"
)
_ASKS_EMAIL = re.compile(  # the address, not a message: "what email did they send?"
    r"\be-?mail address\b|\b(?:what|which)\b(?:['’]s| is| was)?(?:\s+the)?(?:\s+\w+)?\s+e-?mail"
    r"\s*(?:\?|$|(?:for|to)\b|(?:do|should|can|could) (?:i|we|you)\b)",
    re.I,
)
_OTHER_THAN = re.compile(r"\b(?:besides|other than|apart from|except|not by)\b", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_LINK_VERB = re.compile(
    r"\b(?:is|are|was|were|include[sd]?|including|consists? of|called|known as|named"
    r"|refers? to|means|causes?|caused by|leads? to|results? in)\s+",
    re.IGNORECASE,
)
_RESTATED = 0.6  # share of a sentence's words before its verb that the question says
_ENTRY_NUMBER = re.compile(r"\s*(?:\[?\d{1,3}[.)\]]\s*)+")  # "1. 1." of a references entry
_ROLE_KINDS = (Kind.WHO, Kind.DEFINITION)


def find_short_answer(
    shape: Shape, question: str, asked: frozenset[str], blocks: list[Block]
) -> tuple[ShortAnswer, int] | None:
    """The short answer and the index of the block it comes from (the lead block is tried
    first), or None. `asked` is the question's terms: an entity made only of them repeats the
    question, and the nearest to them is preferred."""
    if asks_sources(question) and (entry := _reference_entry(blocks[0])) is not None:
        return entry, 0  # "1.The Economic Times" of a "Sources" list: "The Economic Times"
    asks_email = _ASKS_EMAIL.search(question) and not _OTHER_THAN.search(question)
    if _ASKS_WHERE_TO.search(question) and (ways := _first_said(blocks, _CHANNELS)) is not None:
        return ways  # "where do i report bad outputs": not "Claude", where outputs are made
    if asks_email and (address := _first_said(blocks, _EMAIL, True)) is not None:
        return address  # "what's the email to report ...?": "usersafety@anthropic.com"
    if ADVICE_ASKED.search(question) and (advised := advice(blocks[0])) is not None:
        return advised, 0  # "what does the article suggest?": the sentence advising, whole
    if STATUS_QUESTION.search(question) and (cell := status_cell(blocks[0])) is not None:
        return cell, 0  # "where do things stand?": "Ongoing negotiations"
    if MOVE_ASKED.search(question) and (moved := destination(blocks)) is not None:
        return moved  # "where do campaigns go once cut off?": "open-source models"
    if (called := called_one(question)) and (insult := epithet(blocks[0], called)) is not None:
        return insult, 0  # "what did trump call anthropic?": "Leftwing nut jobs at Anthropic"
    if shape.quoted or speaker_terms(question):  # "what did Trump say ...?": his quoted
        speaker = named_in(speaker_terms(question), blocks[0].lead.outline.text)
        quoted = _their_words(blocks[0], 2 if shape.quoted else 3, speaker)
        if quoted is not None:
            return quoted, 0
    if viewer(question) and (seen := view(blocks[0])) is not None:
        return seen, 0  # "how does the trump camp describe it?": "Silicon Valley censorship"
    if EXAMPLES_ASKED.search(question):  # "what sort of work ...?": "fundraising emails, ..."
        outline = blocks[0].lead.outline
        if (example := examples(outline, shown_units(blocks[0]))) is not None:
            return example, 0
    if LISTED_QUESTION.search(question) and (labels := item_labels(blocks[0])) is not None:
        return labels, 0  # "what risks ...?": "Mass Persuasion, Deepfakes and Hallucinations"
    if asks_name(question):  # a name given the thing asked about, or none: no guess
        return called_name(asked, blocks)
    if shape.kind in (Kind.WHICH, Kind.OTHER):
        named = named_as_asked(question, asked, blocks)
        if named is not None:
            return named
    if shape.kind in _ROLE_KINDS and (role := role_of(question, blocks)) is not None:
        return role
    if shape.labels:
        by_name = shape.kind in SLOTTED and not set(shape.labels) & NO_NAMES
        found = filled(question, asked, blocks[0]) if by_name else None
        if found is None:
            tied = read_question(question, asked) if asks_for_person(shape) else None
            found = entity_of_kind(shape, asked, blocks, tied)
            if found is None and shape.kind is Kind.WHO and _WHO_SAID.search(question):
                found = quote_speaker(asked, blocks)  # '"...," Amodei wrote.'
            if found is not None and shape.places and not _says_verb(question, *found, blocks):
                return None  # "which countries were they blocking?": "former U.S.
                # President" is no place anyone blocked
        if found is not None and by_name and asks_several(question):
            return listed(found, blocks, asked), found[1]
        return found
    finders: dict[Kind, Callable[[], tuple[ShortAnswer, int] | None]] = {
        Kind.YES_NO: lambda: _verdict(question, asked, blocks),
        Kind.REASON: lambda: reason(question, blocks),
        Kind.DEFINITION: lambda: definition(shape.subject, blocks),
    }
    if shape.kind in finders:
        found = finders[shape.kind]()
        if found is not None:
            return found
    if asks_sequel(question):
        return _sequel(blocks[0])  # the lead says the event asked about; the answer follows
    if asks_consequence(question) and (said := consequence(blocks[0])) is not None:
        return said, 0
    if asks_role(question) and (lead := lead_sentence(blocks[0])) is not None:
        return said_as(*lead), 0  # what it did is the whole sentence, not a piece of it
    slot = asked_slot(question)
    reads_slot = slot is not None and (slot.role == "pobj" or slot.thing)
    if reads_slot and (words := filled(question, asked, blocks[0])):
        return words  # "... depictions of what?": what follows "depictions of"; "what did
        # they want?": what "wanted" takes
    found = _rest_of_sentence(asked, blocks[0], shape.kind) or _answer_span(
        shape.kind, asked, blocks[0]
    )
    if shape.kind is Kind.YES_NO and not (found and _names_an_alternative(question, found[0])):
        return None  # a clause of the lead would drop what decides a yes or no ("these ways"
        # without "does not use AI in"): only a choice question's alternative is said alone
    if shape.kind is Kind.REASON and found and not _states(found[0].text):
        return None  # a why-question's answer is something that is so: "The irony of
        # Anthropic's ban" names the thing asked about, "It doesn't stop the use of AI" says why
    return _first_cell(found, asked, blocks) if found else None


def _states(text: str) -> bool:
    """Whether the words make a clause (a verb or auxiliary) or a circumstance ("During dry
    weeks"), not only a noun phrase ("The irony of Anthropic's ban")."""
    doc = nlp.dependencies(text)
    return len(doc) > 0 and (
        doc[0].pos_ in ("ADP", "SCONJ") or any(t.pos_ in ("VERB", "AUX") for t in doc)
    )


def _first_cell(
    found: tuple[ShortAnswer, int], asked: frozenset[str], blocks: list[Block]
) -> tuple[ShortAnswer, int]:
    """A span of a table row whose cells page extraction glued together ("March 2026Court
    rulings partially favor AnthropicSome restrictions lifted") said as its first cell that
    is not its date and mostly says what the question does not ("Court rulings partially
    favor Anthropic"; "Legal challenges filed by Anthropic" after "Federal agencies directed
    to phase out Claude" for "how did Anthropic respond when agencies were told to phase out
    Claude?")."""
    short, order = found
    outline = blocks[order].lead.outline
    row = next((u for u in outline.units if u.start <= short.start_char < u.end), None)
    # the whole row: a span from within its first cell ("next AI modelOngoing ...") is glued too
    first = row.start if row is not None else short.start_char
    text = outline.text[first : max(short.end_char, row.end if row is not None else 0)]
    if not _GLUED_ROW.search(text):
        return found
    bounds = [0, *(m.start() for m in _CELL_START.finditer(text)), len(text)]
    for start, end in itertools.pairwise(bounds):
        cell = text[start:end].strip()
        words = terms(cell)
        if first + end <= short.start_char:
            continue  # a cell before the one the span starts in
        if _DATE_CELL.fullmatch(cell) or len(words) < 2:
            continue  # the row's date: what happened then is the answer
        if len(set(words) - asked) >= _NEW_IN_CELL * len(set(words)):
            return said_as(outline, *trimmed(outline.text, first + start, first + end)), order
    return found


def _first_said(
    blocks: list[Block], pattern: re.Pattern[str], as_written: bool = False
) -> tuple[ShortAnswer, int] | None:
    """The first shown sentence's words `pattern` finds, best block first: an email address
    (`as_written`, "usersafety@anthropic.com") or the ways to write to ("At usersafety@... or
    via the in-product thumbs-down feedback feature")."""
    for order, outline, start, end in shown_sentences(blocks):
        found = pattern.search(outline.text, start, end)
        if found is not None:
            shown = found[0] if as_written else None
            return said_as(outline, found.start(), found.end(), shown), order
    return None


def _their_words(block: Block, fewest: int, speaker: frozenset[str]) -> ShortAnswer | None:
    """The words the lead sentence quotes (of `fewest` words or more), without the quotation
    marks and the comma closing them inside: what a "what did X say" question asks for;
    else the quote the block goes on with when it is the asked `speaker`'s ('In January,
    Amodei penned a blog post ...' and '"These weapons ...," Amodei wrote')."""
    outline = block.lead.outline
    after = [i for i in block.indices if i > block.lead.index][:1]
    for index in [block.lead.index, *after]:
        if index != block.lead.index and not (
            opens_quote(outline.unit_text(index)) and speaker & outline.units[index].words
        ):
            continue
        found = _quoted_in(outline, index, fewest)
        if found is not None:
            return found
    return None


def _quoted_in(outline: Outline, index: int, fewest: int) -> ShortAnswer | None:
    """The first quote of `fewest` words or more in sentence `index`, as said."""
    unit = outline.units[index]
    for quote in QUOTATION.finditer(outline.text, unit.start, unit.end):
        start, end = quote.span(1)
        while end > start and outline.text[end - 1] in ",;:. ":
            end -= 1
        if len(outline.text[start:end].split()) >= fewest:
            return said_as(outline, start, end)
    return None


def _reference_entry(block: Block) -> ShortAnswer | None:
    """The lead's references entry without its number ("1.The Economic Times"), when the
    lead is one."""
    outline = block.lead.outline
    for index in block.indices:
        unit = outline.units[index]
        if not unit.in_references or unit.is_heading:
            continue
        start, end = sentence_span(outline, index)
        numbered = _ENTRY_NUMBER.match(outline.text, start, end)
        start = numbered.end() if numbered else start
        if end - start > 1:  # not the bare "1." page extraction splits off
            return said_as(outline, start, end)
    return None


def _sequel(block: Block) -> tuple[ShortAnswer, int] | None:
    """The sentence right after the lead's, when the block shows it and it is short ("Then
    they cut off access" after "They issued a warning"), without its closing punctuation."""
    following = block.lead.index + 1
    outline = block.lead.outline
    if following not in shown_units(block) or outline.units[following].is_heading:
        return None
    start, end = sentence_span(outline, following)
    if not 1 < len(outline.text[start:end].split()) <= SHORT_SENTENCE:
        return None
    return said_as(outline, start, end), 0


def _names_an_alternative(question: str, short: ShortAnswer) -> bool:
    """Whether the short answer names one side of the question's last "A or B" ("Is the
    bread kept on shelves or in baskets?": "Kept on open shelves")."""
    before, joined, after = question.rstrip(" ?").rpartition(" or ")
    if not joined:
        return False
    sides = set(terms(" ".join(before.split()[-3:]))) | set(terms(after))
    return bool(sides & set(terms(short.text)))


def _verdict(
    question: str, asked: frozenset[str], blocks: list[Block]
) -> tuple[ShortAnswer, int] | None:
    """ "Yes: ..." or "No: ..." from the sentence that says it (rag/yes_no.py), or None."""
    found = verdict(question, asked, blocks)
    if found is None and (denial := denial_after(question, asked, blocks)) is not None:
        found, denying = denial  # "... relayed concerns ...", then "Anthropic has denied ..."
        blocks.append(denying)  # its order: the block appended
    if found is None:
        return None
    order, outline, start, end, text = found
    word, _, said = text.partition(": ")
    if (row := shown_row(said)) is not None:  # "Yes: February 2026 — Federal agencies ..."
        text = f"{word}: {row}"
    if text.startswith("Yes") and _CHOICE.search(question):
        return None  # "higher in Taiwan or California?": a side answers, not "Yes" ("No":
        # neither, for "does it use AI for weapons or surveillance?")
    return said_as(outline, start, end, text), order


def _says_verb(question: str, short: ShortAnswer, index: int, blocks: list[Block]) -> bool:
    """The sentence a short answer comes from has the question's verb (or its other forms)
    as a verb, when the wh-phrase is that verb's object ("which countries were they
    blocking?")."""
    slot = asked_slot(question)
    if slot is None or slot.role != "dobj":  # "which countries showed ...?": they did it
        return True
    outline = blocks[index].lead.outline
    at = next((i for i, u in enumerate(outline.units) if u.start <= short.start_char < u.end), None)
    if at is None:
        return True
    doc = outline.parsed([at])[at]  # as a verb: "preventative blocking" blocks no country
    return any(token.pos_ == "VERB" and set(terms(token.text)) & slot.verb for token in doc)


def _rest_of_sentence(
    asked: frozenset[str], block: Block, kind: Kind
) -> tuple[ShortAnswer, int] | None:
    """What the lead sentence adds to the question: the words after a verb ("is",
    "includes", "causes" ...) whose preceding words mostly restate the question ("The main
    cause of HIV-1 infection in children is | mother-to-child transmission"); for "what is
    X?" not a verb it is the object of ("X is currently used for ...": what X is used for)."""
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
        passive = PASSIVE.match(rest)
        if kind is Kind.DEFINITION and passive and not set(terms(passive[0])) & asked:
            return None
        if 1 < len(rest.split()) <= SHORT_SENTENCE:
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
