"""Whose thing a short answer gives: "$200 million" from "Anthropic was the first ... through
a $200 million deal" answers no question about OpenAI's deal; a sum, a date or a name is
the answer only when its sentence names the owner the question gives, or no one else."""

from __future__ import annotations

import re

from rag.blocks import Block
from rag.lemmas import is_english
from rag.outline import Candidate
from rag.text import terms
from rag.ties import sum_holder
from rag.types import ShortAnswer

_NAME = re.compile(r"\b[A-Z][a-z][\w&-]*")  # "Anthropic", not "AI"
_OWNERS = frozenset({"ORG", "PERSON", "GPE", "NORP", "PRODUCT"})  # who may own a thing
_POSSESSIVE = re.compile(r"\b([A-Za-z][\w&-]*)['’]s\b")  # "openai's", "Anthropic's"
_ANY_WORD = re.compile(r"\b([A-Za-z][\w&-]*)")  # each a possible owner of a sum
# One owner under the names pages and staff give it: "the Defense Department" is the
# Pentagon of "a $200 million deal signed with the Pentagon"
_ALIASES = (("pentagon", "defense department", "department of defense", "department of war"),)
# A view asked for, right after its owner's name ("xai's public stance on ...?"; not "how
# long did OpenAI's review take?", "Anthropic's incident response process")
VIEW_ASKED = re.compile(
    r"\s+(?:(?:public|official|overall|own|initial|current|latest|actual)\s+)?(?:stance|position"
    r"|view|views|take|opinion|opinions|response|reaction|attitude|thoughts|side)"
    r"(?=\s*(?:$|[?,.;:!]|(?:on|to|about|regarding|toward|towards|in|of|here|there|now)\b))",
    re.IGNORECASE,
)
_ALIAS_TERMS = tuple(tuple(frozenset(terms(name)) for name in names) for names in _ALIASES)


def aliases_named(asked: frozenset[str]) -> frozenset[str]:
    """The terms of the owners' names the question gives whole ("defense department", not the
    "war" of "a difference in the war")."""
    return frozenset(
        term for names in _ALIAS_TERMS for name in names if name <= asked for term in name
    )


def aliases_written(text: str) -> frozenset[str]:
    """The words of every name of each owner the text writes one name of, as written ("the
    State Department warned of a trade war" names no Department of War)."""
    lowered = text.lower()
    more: frozenset[str] = frozenset()
    for names, alias_terms in zip(_ALIASES, _ALIAS_TERMS, strict=True):
        if any(name in lowered for name in names):
            more = more.union(*alias_terms)
    return more


def with_aliases(said: set[str] | frozenset[str]) -> frozenset[str]:
    """`said` with the words of every other name of an owner it names."""
    more = frozenset(said)
    for names in _ALIAS_TERMS:
        if any(name <= said for name in names):
            more = more.union(*names)
    return more


def owner_said(
    question: str, block: Block, short: ShortAnswer, entity: bool, money: bool = False
) -> bool:
    """The block (its sentences, the one its lead refers back to, its heading or title)
    names each owner the question gives its thing ("openai's pentagon deal"), or names no
    one else: "$200 million" from "Anthropic was the first ... through a $200 million deal"
    is not OpenAI's. For an `entity` (an amount, a date, a name) the sentence saying it must:
    nor is it Google's when the next sentence says Google "signed similar deals". A sum of
    `money` is owned by every name of the question ("the deal Google signed", "the contracts
    for google, openai and xai")."""
    owners = _ANY_WORD.finditer(question) if money else _POSSESSIVE.finditer(question)
    outline = block.lead.outline
    named = [  # a name: capitalised after the first word, or no English word ("what's")
        match[1]
        for match in owners
        if (match[1][:1].isupper() and match.start() > 0) or not is_english(match[1].lower())
    ]
    named += [  # "google's", typed in lower case: a name the page writes capitalised
        match[1]
        for match in _POSSESSIVE.finditer(question)
        if match[1].islower() and match[1] not in named and _capitalised(match[1], outline.text)
    ]
    if not named:
        return True
    asked = set(terms(question))  # unsaid, but no other name is the owner: "for up to 10
    # platforms" of the page that is ConductAtlas's own
    if not entity:
        said = block.words | block.lead.antecedent_words() | block.lead.context_words()
        others = [terms(name) for name in _NAME.findall(block.text) if not is_english(name.lower())]
    else:
        index = _saying(block, short)
        said = _said_with(block, index)
        others = [
            terms(outline.text[found.start : found.end])
            for found in outline.entities([index])[index]
            if found.label in _OWNERS
        ]
    said = with_aliases(said)
    if all(set(terms(owner)) <= said for owner in named):
        return True
    asked = set(with_aliases(asked))
    return not any(set(other) - asked for other in others)


def holder_said(question: str, block: Block, short: ShortAnswer) -> bool:
    """The sentence saying a sum names whose it is asked, or names no one the question does
    not: "how much did the campaign spend ...?" is not answered by "a $200 million deal
    signed with the Pentagon", but "how much do users pay for Claude Pro?" is by "Claude Pro
    costs $20 a month". True when the question's subject is a pronoun or a word for the sum."""
    holder = sum_holder(question)
    index = _saying(block, short)
    if not holder or not holder.isdisjoint(_said_with(block, index)):
        return True
    outline = block.lead.outline
    asked = set(with_aliases(set(terms(question))))
    return not any(
        set(terms(outline.text[found.start : found.end])) - asked
        for found in outline.entities([index])[index]
        if found.label in _OWNERS
    )


def _saying(block: Block, short: ShortAnswer) -> int:
    """The index of the block's sentence holding the short answer (else its lead)."""
    units = block.lead.outline.units
    return next(
        (i for i in block.indices if units[i].start <= short.start_char < units[i].end),
        block.lead.index,
    )


def _said_with(block: Block, index: int) -> frozenset[str]:
    """The words of sentence `index`, of the title and heading over the lead, and of the
    sentence before it when it refers back to it."""
    units = block.lead.outline.units
    said = units[index].words | block.lead.context_words()
    if units[index].refers_back and index > 0:
        said |= units[index - 1].words
    return said


def _capitalised(word: str, text: str) -> bool:
    """The text writes the word capitalised at least twice, and more often than not."""
    capitals = len(re.findall(rf"\b{re.escape(word.title())}\b", text))
    return capitals >= 2 and capitals > len(re.findall(rf"\b{re.escape(word)}\b", text))


def owned_by_other(question: str, block: Block) -> bool:
    """The question asks for a name's thing ("what did Google's CEO say?") and the block
    never names that owner but gives the same thing another's ("Dario Amodei, Anthropic's
    CEO, has publicly ..."): it answers of the wrong owner."""
    text = block.text
    for asked in _POSSESSIVE.finditer(question):
        owner, thing = asked[1], question[asked.end() :].split()[:1]
        if not thing or not owner[:1].isupper() or asked.start() == 0:
            continue
        if set(terms(owner)) <= with_aliases(block.words | block.lead.context_words()):
            continue
        noun = re.escape(thing[0].strip("?.,!"))
        if re.search(rf"\b[A-Z][\w&-]*['’]s\s+(?i:{noun})\b", text):  # not "the company's"
            return True
    return False


def owner_unsaid(question: str, block: Block) -> bool:
    """The question asks for a name's view ("what was xai's position on the whole thing?")
    and the block never names that owner, under any of its names, in the sentence it refers
    back to, its heading or its title: a view is someone's, and the pages do not give theirs
    (other things may be told without their owner: "Anthropic's usage policy" by "violations
    can result in ...")."""
    said = block.words | block.lead.antecedent_words() | block.lead.context_words()
    for asked in _POSSESSIVE.finditer(question):
        owner = asked[1]
        if asked.start() == 0 or (owner[:1].islower() and is_english(owner)):
            continue  # "what's", "the company's"
        if re.search(r"['’]s\s+$", question[: asked.start()]):
            continue  # "OpenAI's CEO's stance": whoever holds the role, by name
        if VIEW_ASKED.match(question, asked.end()) and not set(terms(owner)) <= with_aliases(said):
            return True
    return False


# "what's openai's rule on political stuff?": what the owner itself does or holds
_OWNERS_THING = re.compile(
    r"\b(?P<owner>[A-Za-z][\w&.-]*)['’]s\s+(?:[\w-]+\s+){0,2}?(?:rules?|polic(?:y|ies)|approach"
    r"|guidelines?|restrictions?|terms)\s+(?:on|about|for|regarding|toward|to)\b",  # not a view:
    # "xai's stance on ...", which the pages do not give (owner_unsaid)
    re.IGNORECASE,
)
_OWNS = 0.6  # share of the best score a sentence opening on the owner needs to lead instead
_OPENING = 6  # words of a sentence its subject is looked for in


def owner_first(question: str, ranked: list[Candidate]) -> Candidate | None:
    """For a question asking a named owner's rule or policy on a thing, when the best sentence
    does not open on that owner ("Their "Constitutional AI" framework ..." of Anthropic, which
    names "former OpenAI executives"), the best one scoring at least _OWNS of it that does:
    "OpenAI prohibits use of its services to ... political propaganda"; else None."""
    asked = _OWNERS_THING.search(question)
    if asked is None or not ranked or is_english(asked["owner"].lower()):
        return None
    owner = frozenset(terms(asked["owner"]))

    def opens_on_owner(candidate: Candidate) -> bool:
        opening = candidate.outline.unit_text(candidate.index).split()[:_OPENING]
        return owner <= frozenset(terms(" ".join(opening)))

    if opens_on_owner(ranked[0]):
        return None
    reach = _OWNS * ranked[0].score
    return next((c for c in ranked[1:] if c.score >= reach and opens_on_owner(c)), None)
