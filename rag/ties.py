"""Whether a name in a sentence is tied to what the question is about, read from spaCy's
dependency parse: "Who leads Anthropic?" is answered by a person the sentence links to
Anthropic within one clause ("Anthropic's CEO, Dario Amodei"), never by any person the
sentence happens to name ("Trump said that he no longer views Anthropic as a threat")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rag import nlp
from rag.lemmas import equivalents
from rag.synonyms import synonyms
from rag.text import terms

MAX_HOPS = 4  # dependency edges from the name to the question's subject
ROLE_HOPS = 2  # ... and to the word saying its role ("leads", "met", "CEO")
_WH = frozenset({"who", "whom", "whose", "which", "what"})
# Edges that open a new clause, or join peers ("and"): a name and a subject joined only
# across one are not tied (a relative clause or participle describing the name itself is
# the name's own clause).
_CLAUSE_EDGES = frozenset({"ccomp", "advcl", "parataxis", "conj", "xcomp", "csubj", "pcomp"})
_OWN_CLAUSE_EDGES = frozenset({"relcl", "acl"})
_LEADING = frozenset(terms("head heads lead leads run runs chair chairs"))  # "who heads X?"
PERSON_TITLES = frozenset(
    terms("boss ceo chief head leader president chairman chairwoman chair director secretary")
)
_COMPARISONS = frozenset({"like", "unlike", "than", "versus", "vs"})
_NAME = re.compile(r"\b[A-Z][\w'’-]*")
_OWNER = r"(?P<owner>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,2})"
_TITLES = (  # "Venezuela's president", "Anthropic's CEO", "the Pentagon's chief spokesman"
    r"president|prime minister|minister|secretary|ceo|cto|cfo|chief|head|leader|founder"
    r"|co-?founder|chair(?:man|woman|person)?|director|governor|mayor|king|queen|boss"
    r"|spokes(?:man|woman|person)|lawyer|attorney|ambassador|commander|general"
)
_TITLE = rf"(?P<title>(?:[a-z-]+\s+)?(?i:{_TITLES}))"  # "defense chief", "CEO"
_OWNED_BEFORE = re.compile(rf"{_OWNER}['’]s?\s+{_TITLE},\s*\[?$")
_OWNED_AFTER = re.compile(
    rf"\]?(?:\([^)\s]*\))?,\s*(?:(?:the|a|an)\s+)?(?:{_OWNER}['’]s?\s+{_TITLE}"
    rf"|{_TITLE.replace('title', 'title2')}\s+of\s+(?:the\s+)?{_OWNER.replace('owner', 'owner2')})"
)


@dataclass(frozen=True)
class Asked:
    """A who-question read by its parse: the terms of what it is about (its names) and of
    the word saying the asked-for person's role (the verb of "who met ...", the noun of "who
    is Anthropic's CEO")."""

    subject: frozenset[str]
    role: frozenset[str]
    titles: frozenset[str] = frozenset()  # when a title is asked ("who is the Pentagon's
    # boss?", "who heads X?"): the titles that say it ("CEO")


@lru_cache(maxsize=256)
def read_question(question: str, asked: frozenset[str]) -> Asked:
    """The question's subject (the terms of its capitalised names after the first word, not
    acronyms or its role word; else every term it asks with) and its role word."""
    doc = nlp.parse(question)
    role = _role(doc)
    words = _NAME.findall(question)[1:]
    named = {term for word in words if not word.isupper() for term in terms(word)}
    subject = frozenset(named & asked) - role
    titles: frozenset[str] = frozenset()
    if role & _LEADING and _named_object(doc):
        titles = role | PERSON_TITLES  # "who heads Anthropic?": its chief, by title
    elif any(token.pos_ == "NOUN" and set(terms(token.text)) & role for token in doc):
        titles = role.union(*map(synonyms, role))  # "boss": "CEO"
    return Asked(subject or frozenset(asked) - role or asked, role, titles)


def _named_object(doc: Any) -> bool:
    """The question's verb takes a name ("who leads Anthropic?"), not a thing ("who is
    leading the negotiations?")."""
    return any(token.dep_ == "dobj" and token.pos_ == "PROPN" for token in doc)


def title_owner(text: str, start: int, end: int) -> tuple[str, str] | None:
    """The named owner and the title set off beside the name text[start:end] ("Venezuela's
    president, Nicolás Maduro"; "Maduro, the president of Venezuela"), read from the words:
    the parse of a sentence with link markup blanked may not see the apposition."""
    before = _OWNED_BEFORE.search(text, max(0, start - 60), start)
    if before is not None:
        return before["owner"], before["title"]
    after = _OWNED_AFTER.match(text, end)
    if after is not None:
        return after["owner"] or after["owner2"], after["title"] or after["title2"]
    return None


def _role(doc: Any) -> frozenset[str]:
    """The terms of the word the question's wh-phrase hangs from: a content verb ("met"),
    or across "is" the noun it is equated with ("CEO")."""
    wh = next((token for token in doc if token.lower_ in _WH), None)
    if wh is None:
        return frozenset()
    phrase = wh.head if wh.dep_ == "det" else wh  # "which cabinet member"
    head = phrase.head
    if head.pos_ == "ADP" and head.i > phrase.i and head.head.pos_ == "VERB":
        head = head.head  # "who did he meet with?": "meet" (not "created by who?")
    if head.pos_ == "VERB":  # its other forms too: "meet" is said "met"
        return frozenset(form for term in terms(head.text) for form in equivalents(term))
    if head.lemma_ == "be":
        other = next(
            (c for c in head.children if c.i != phrase.i and c.dep_ in ("nsubj", "attr")), None
        )
        return frozenset(terms(other.text)) if other is not None else frozenset()
    return frozenset()


def hops(doc: Any, start: int, end: int, wanted: frozenset[str], most: int) -> int | None:
    """The fewest dependency edges from the name at doc characters [start, end) to a token
    with a wanted term, moving within one clause; None when there is no such path of at most
    `most` edges."""
    names = [token for token in doc if start <= token.idx < end]
    if not names or not wanted:
        return None
    targets = {
        token.i
        for token in doc
        if not (start <= token.idx < end) and set(terms(token.text)) & wanted
    }
    if not targets:
        return None
    own = {token.i for token in names}
    seen = dict.fromkeys(own, 0)
    frontier = list(own)
    while frontier:
        following = []
        for index in frontier:
            for neighbour in _neighbours(doc[index], own):
                if neighbour in seen:
                    continue
                seen[neighbour] = seen[index] + 1
                if neighbour in targets:
                    return seen[neighbour]
                if seen[neighbour] < most:
                    following.append(neighbour)
        frontier = following
    return None


def _neighbours(token: Any, own: set[int]) -> list[int]:
    """Tokens one edge away that stay in the same clause (a clause hanging from the name
    itself is its own)."""
    found = []
    head = token.head
    if head.i != token.i and _same_clause(token, token.i in own):
        found.append(head.i)
    for child in token.children:
        if _same_clause(child, token.i in own):
            found.append(child.i)
    return found


def _same_clause(dependent: Any, from_name: bool) -> bool:
    """The edge from `dependent` to its head stays in one clause and joins different roles
    ("Anthropic or OpenAI": a name beside the subject is its peer, not the answer), but for
    people joined by "and" ("the daughter of Martha Burns and Paul Gross": they share her)."""
    dep = dependent.dep_
    if _COMPARISONS & {dependent.lower_, dependent.head.lower_} and dep in ("prep", "pobj"):
        return False  # "Anthropic isn't like OpenAI": a peer it is compared with
    if dep == "conj":
        return dependent.ent_type_ == "PERSON" and dependent.head.ent_type_ == "PERSON"
    if dep in _CLAUSE_EDGES:
        return False
    return from_name or dep not in _OWN_CLAUSE_EDGES


# Words asking for the sum itself ("what was the value of the contract?"), not whose it is
_SUM_NOUNS = frozenset(
    terms(
        "value valuation figure worth price cost amount sum total money dollar funding fee "
        "fine penalty budget revenue salary payment investment"
    )
)


@lru_cache(maxsize=256)
def sum_holder(question: str) -> frozenset[str]:
    """The terms (and their forms and synonyms) of whose sum a how-much question asks: the
    subject of its verb ("how much did *the campaign* spend ...?", "how much was Anthropic's
    Pentagon *contract* worth?"); empty for a pronoun ("how much is it worth?") or a word for
    the sum itself."""
    found: set[str] = set()
    for token in nlp.dependencies(question):
        if token.dep_ != "nsubj" or token.pos_ not in ("NOUN", "PROPN"):
            continue
        if token.head.dep_ != "ROOT":
            continue
        for term in terms(token.text):
            if term in _SUM_NOUNS:
                return frozenset()
            found |= equivalents(term) | synonyms(term) | {term}
    return frozenset(found)
