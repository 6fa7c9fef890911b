"""The words of a sentence that fill the question's wh-slot, read from both parses, so a name
the entity tagger misses or mislabels still answers: "Which outlet first reported ...?" is
answered by the subject of the sentence's "reported" ("after Axios reported that ..."), "Where
can users report ...?" by what follows its "report" ("at usersafety@... or via ..."), "Which
companies ...?" by every name of a list ("Google, OpenAI, and xAI"), not the nearest one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rag import nlp
from rag.lemmas import equivalents
from rag.synonyms import synonyms
from rag.text import terms

_WH = frozenset({"who", "whom", "which", "what", "where"})
_NOT_CONTENT = frozenset(
    "be is are was were been being am 's have has had do does did get gets got can could "
    "will would should may might must".split()
)
_ROLES = frozenset({"nsubj", "dobj"})
_FOUNDING = frozenset(terms("found start establish create cofound"))
_COPULAS = frozenset("is are was were 's ’s".split())  # "who's the ..."
_EQUATED = frozenset({"attr", "nsubj"})
_PLACE_PREPOSITIONS = frozenset("at in on via through to into onto from inside within".split())
_NAME_DEPS = frozenset({"compound", "flat", "nmod", "amod"})
_MISTAGGED = frozenset({"NOUN", "ADV", "ADJ", "X", "VERB"})
_TIMES = frozenset({"DATE", "TIME"})
_OWNER_PREPOSITIONS = frozenset({"from", "of", "at"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_STANDING_IN = frozenset({"they", "it", "he", "she"})
_NAME_WORD = r"[\w.&'’-]*[A-Z][\w.&'’-]*"
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}"
_JOIN_LEFT = re.compile(rf"(?<![\w.&'’-])({_NAME})(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$")
_JOIN_RIGHT = re.compile(rf"^(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)({_NAME})")
_ELSE = re.compile(r"\b(?:who|what|which)\s+else\b", re.IGNORECASE)
_LIST_REACH = 80  # characters either side looked at for a list's other names
_WHOSE = re.compile(r"\b(?:which|what)\s+\w+['’]s?\s+(\w+)|\bwhose\s+(\w+)", re.IGNORECASE)


@dataclass(frozen=True)
class Slot:
    """What the question's wh-phrase is to its verb: the verb's terms and the role, the
    subject ("nsubj"), the object ("dobj") or the place it happens ("place"); or, for "who
    was the first president ...", the noun's terms and "be"."""

    verb: frozenset[str]  # with the verb's irregular forms ("met": "meet")
    role: str
    preposition: str = ""  # of "pobj": "depictions of what?" asks for what follows "of"
    kind: frozenset[str] = frozenset()  # of "pobj": "in what direction" wants a direction
    person: bool = False  # "who ...": people of an organisation are the answer, not it
    thing: bool = False  # "what did they want?": whatever the verb takes, not only a name


@lru_cache(maxsize=256)
def asked_slot(question: str) -> Slot | None:
    """The slot the wh-phrase fills, when it hangs from a content verb ("Which outlet
    reported ...", "Who did Trump fire", "Where can users report ...") or is equated with a
    noun ("Who was the first president of ..."); else None."""
    doc = _parsed(question)
    wh = next((token for token in doc if token.lower_ in _WH), None)
    if wh is None:
        return None
    if wh.lower_ == "who" and wh.head.lower_ in _COPULAS:  # "Who was the first president
        noun = next(  # of ...": the person a sentence equates with that noun
            (
                c
                for c in wh.head.children
                if c.i != wh.i and c.dep_ in _EQUATED and c.pos_ == "NOUN"
            ),
            None,
        )
        if noun is None:
            return None
        nouns = frozenset(form for term in terms(noun.text) for form in equivalents(term))
        return Slot(nouns, "be") if nouns else None
    if wh.lower_ == "where":
        verb = wh.head if wh.dep_ == "advmod" else None
        role = "place"
    else:
        phrase = wh.head if wh.dep_ == "det" else wh  # "which news outlet"
        preposition = phrase.head
        if (
            phrase.dep_ in ("pobj", "pcomp")
            and preposition.pos_ == "ADP"
            and preposition.i < wh.i  # not "what do they rely on?": the span model reads that
            and wh.lower_ != "who"
        ):
            kind = frozenset(terms(phrase.text)) if phrase.i != wh.i else frozenset()
            return _object_slot(preposition, kind)
        verb = phrase.head if phrase.dep_ in _ROLES else None
        role = phrase.dep_
        if verb is not None and _strands_preposition(verb, phrase):
            return None  # "what did they use the money for?": the span model reads that
    if verb is None or verb.pos_ != "VERB" or verb.lower_ in _NOT_CONTENT:
        return None
    verb_terms = frozenset(form for term in terms(verb.text) for form in equivalents(term))
    if verb_terms & _FOUNDING and wh.lower_ in ("who", "whom"):
        verb_terms |= _FOUNDING  # "who started Anthropic?": "founded by ..."
    person = wh.lower_ in ("who", "whom")
    thing = wh.lower_ == "what" and phrase.i == wh.i and role == "dobj"
    return Slot(verb_terms, role, person=person, thing=thing) if verb_terms else None


def _strands_preposition(verb: Any, phrase: Any) -> bool:
    """The wh-phrase, parsed as the verb's object, is that of a preposition left at the end
    ("what did they use the money for?"): the verb has an object of its own."""
    children = list(verb.children)
    return (
        phrase.dep_ == "dobj"
        and any(c.dep_ == "dobj" and c.i != phrase.i for c in children)
        and any(c.dep_ == "prep" and not any(c.children) for c in children)
    )


def _object_slot(preposition: Any, kind: frozenset[str]) -> Slot | None:
    """ "... his depictions of what?", "In what direction does it spread?": the word the
    preposition hangs from (a noun or a content verb), the preposition and the noun the
    wh-word goes with (the answer names it: "a retrograde direction", not "Devonshire House"
    for "located in what Australian city?")."""
    head = preposition.head
    if head.i == preposition.i or head.pos_ not in ("NOUN", "VERB") or head.lower_ in _NOT_CONTENT:
        return None
    words = frozenset(form for term in terms(head.text) for form in equivalents(term))
    return Slot(words, "pobj", preposition.lower_, kind) if words else None


def slot_filler(
    doc: Any, slot: Slot, asked: frozenset[str], before: str = "", lead: bool = False
) -> tuple[int, int] | None:
    """Offsets in a parsed sentence (a spaCy Doc with entities) of the words filling `slot`
    beside a verb with the question's verb's terms whose clause says two more of the asked
    terms ("Amoedi penned a blog post" does not answer "who penned the piece on ..."): a name
    (not a pronoun or a common noun: "workers from OpenAI" gives "OpenAI") for a subject or
    object, the prepositional phrases for a place (not a time: "in January"), the name a
    sentence equates with the noun for "be". A sentence whose subject is a pronoun ("They
    started as an offshoot, founded by ...") also says what `before`, the sentence ahead of
    it, says. In the sentence chosen to lead the answer (`lead`), one more asked term will
    do, anywhere in it for a name: "the Pentagon story" of "Which outlet first reported the
    Pentagon story?" is told by the sentence ("The spat between the Pentagon and Anthropic
    began after Axios reported ..."), not by the reporting clause; in the verb's clause for a
    place ("campaigns turn to Meta's Llama"; not "the Nets continued to play on Long Island"
    for where the Nets played in New Jersey)."""
    others = asked - slot.verb - slot.kind
    if _pronoun_subject(doc):
        others = others - frozenset(terms(before))
    verbs = slot.verb.union(*(synonyms(term) for term in slot.verb))  # "stressed": "emphasised"
    for word in doc:
        if not set(terms(word.text)) & verbs:
            continue
        if slot.role == "be":
            found, clause = _equated(word), word
        elif slot.role == "pobj":
            found, clause = _object(word, slot.preposition), _clause_of(word)
            if found and slot.kind and not slot.kind & set(terms(doc.text[found[0] : found[1]])):
                found = None
        elif word.pos_ == "VERB" and slot.thing:
            found = _taken(word, asked)
            clause = word
        elif word.pos_ == "VERB":
            found = _place(word) if slot.role == "place" else _named(word, slot)
            clause = word
        else:
            continue
        if found is None:
            continue
        start, end = found
        said = {
            term
            for token in (doc if lead and slot.role != "place" else _widened(clause, lead).subtree)
            if not start <= token.idx < end
            for term in terms(token.text)
        }
        if len(said & others) >= min(1 if lead else 2, len(others)):
            return found
    return None


def _widened(clause: Any, lead: bool) -> Any:
    """In the lead sentence, a verb joined to another ("infect and replicate within ...")
    shares that verb's clause and its subject."""
    while lead and clause.dep_ == "conj" and clause.head.pos_ == "VERB":
        clause = clause.head
    return clause


def _equated(noun: Any) -> tuple[int, int] | None:
    """The name a sentence equates with `noun`: "Hall, who was the first president ...",
    "Hall was the first president ...", "Hall, the first president ...", "the first
    president, Hall"."""
    head = noun.head
    if noun.dep_ == "attr" and head.lower_ in _COPULAS:
        subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.lower_ in ("who", "that") and head.dep_ == "relcl":
            subject = head.head
        return _name_span(subject) if subject is not None and _is_name(subject) else None
    if noun.dep_ == "appos" and _is_name(head):
        return _name_span(head)
    named = next((c for c in noun.children if c.dep_ == "appos" and _is_name(c)), None)
    return _name_span(named) if named is not None else None


def owner_named(question: str, text: str) -> tuple[int, int] | None:
    """For "Which company's terms ...?" / "Whose terms ...?": offsets in `text` of the name
    whose same noun it says ("Anthropic's terms of service ...")."""
    match = _WHOSE.search(question)
    if match is None:
        return None
    noun = re.escape(match[1] or match[2])
    owned = re.search(rf"\b({_NAME})['’]s?\s+{noun}\b", text)
    return owned.span(1) if owned else None


def asks_several(question: str) -> bool:
    """The wh-phrase asks for more than one ("which companies", "who were the founders",
    "who else")."""
    if _ELSE.search(question):
        return True
    doc = _parsed(question)
    wh = next((token for token in doc if token.lower_ in _WH), None)
    if wh is None:
        return False
    for token in doc[wh.i + 1 : wh.i + 5]:
        if token.tag_ in ("NNS", "NNPS"):
            return True
        if token.pos_ == "VERB" or (token.pos_ == "AUX" and wh.lower_ != "who"):
            return False
    return False


def whole_list(text: str, start: int, end: int, asked: frozenset[str]) -> tuple[int, int]:
    """The span of the whole list of names text[start:end] stands in ("Google, OpenAI, and
    xAI"; "Palantir and Amazon"), without names the question gives, or the span itself."""
    while True:
        before = _JOIN_LEFT.search(text[max(0, start - _LIST_REACH) : start])
        if before is None or set(terms(before[1])) <= asked:
            break
        start = start - len(before[0])
    while True:
        after = _JOIN_RIGHT.search(text[end : end + _LIST_REACH])
        if after is None or set(terms(after[1])) <= asked:
            break
        end += after.end()
    return start, end


@lru_cache(maxsize=256)
def _parsed(question: str) -> Any:
    """The question's parse, its first letter capitalised: typed in lower case, "which
    companies signed ..." parsed "which" as the object of a later preposition."""
    stripped = question.lstrip()
    return nlp.dependencies(stripped[:1].upper() + stripped[1:])


def _object(word: Any, preposition: str) -> tuple[int, int] | None:
    """The noun phrase after `preposition` hanging from `word`, with what follows its noun
    ("rely on | specific antibody responses to the HA, and to a lesser extent NA proteins"),
    without its determiner."""
    for child in word.children:
        if child.dep_ == "prep" and child.lower_ == preposition:
            noun = next((c for c in child.children if c.dep_ == "pobj"), None)
            if noun is not None and noun.pos_ in ("NOUN", "PROPN", "NUM", "ADJ"):
                first = noun.left_edge
                while first.i < noun.i and first.dep_ in ("det", "poss", "punct"):
                    first = first.doc[first.i + 1]
                last = noun.right_edge
                while last.i > noun.i and last.dep_ in ("punct", "cc"):
                    last = last.doc[last.i - 1]
                return first.idx, last.idx + len(last.text)
    return None


def _taken(verb: Any, asked: frozenset[str]) -> tuple[int, int] | None:
    """What the verb takes: its object, else the verb it goes on to ("wanted | to continue
    working with Anthropic"), else the clause it reports ("said | that ..."); without a
    phrase at its end that only repeats the question ("a new crane | for the harbour")."""
    for dep in ("dobj", "xcomp", "ccomp"):
        child = next((c for c in verb.children if c.dep_ == dep), None)
        if child is not None:
            first, last = child.left_edge, child.right_edge
            for part in reversed(list(child.rights)):
                said = set(terms(" ".join(t.text for t in part.subtree)))
                if part.dep_ != "prep" or not said <= asked or part.right_edge.i != last.i:
                    break
                last = part.left_edge.doc[part.left_edge.i - 1]
            while first.i < last.i and first.dep_ in ("det", "punct", "mark"):
                if first.head.dep_ == "poss":
                    break  # "the company's commitment", not "company's commitment"
                first = first.doc[first.i + 1]
            while last.i > first.i and last.dep_ in ("punct", "cc"):
                last = last.doc[last.i - 1]
            if not any(t.is_alpha for t in first.doc[first.i : last.i + 1]):
                return None  # a reference number ("have shown [44]"), no answer
            return first.idx, last.idx + len(last.text)
    return None


def _clause_of(word: Any) -> Any:
    """The nearest verb `word` hangs from (itself if it is one): its clause says what the
    question asks about ("known for his precisionist depictions")."""
    head = word
    while head.pos_ != "VERB" and head.head.i != head.i:
        head = head.head
    return head if head.pos_ == "VERB" else word


def _pronoun_subject(doc: Any) -> bool:
    """The sentence's main subject is a pronoun standing for something named before it."""
    root = next((token for token in doc if token.dep_ == "ROOT"), None)
    subject = next((c for c in root.children if c.dep_ in _SUBJECTS), None) if root else None
    return subject is not None and subject.lower_ in _STANDING_IN


def _named(verb: Any, slot: Slot) -> tuple[int, int] | None:
    role = slot.role
    if role == "nsubj":  # "founded by former OpenAI executives" answers "who founded ..."
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        doer = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        if doer is not None and _is_name(doer):
            return _name_span(doer)
        if doer is not None and doer.tag_ == "NNS" and any(_is_name(c) for c in doer.lefts):
            return doer.left_edge.idx, doer.idx + len(doer.text)  # whose people they are
    for child in verb.children:
        if child.dep_ != role:
            continue
        if _is_name(child):
            return _name_span(child)
        if role == "nsubj" and child.lower_ in ("he", "she") and verb.dep_ == "ccomp":
            teller = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
            if teller is not None and _is_name(teller):  # "Trump announced that he was
                return _name_span(teller)  # instructing every agency": Trump instructed them
        if child.pos_ == "NOUN":
            for part in child.children:
                if part.dep_ == "poss" and _is_name(part):
                    return _name_span(part)
                if part.dep_ == "prep" and part.lower_ in _OWNER_PREPOSITIONS:
                    owner = next((c for c in part.children if c.dep_ == "pobj"), None)
                    if owner is not None and _is_name(owner) and slot.person:
                        return child.left_edge.idx, owner.idx + len(owner.text)  # "an
                        # employee at Palantir" relayed concerns, not Palantir
                    if owner is not None and _is_name(owner):
                        return _name_span(owner)
    return None


def _is_name(token: Any) -> bool:
    """A proper noun, or a capitalised word inside the sentence that the tagger, thrown by
    blanked link markup, called something else ("after  Axios reported")."""
    if token.pos_ == "PROPN":
        return True
    first = next((t for t in token.doc if not t.is_space), token)
    return token.text[:1].isupper() and token.i != first.i and token.pos_ in _MISTAGGED


def _name_span(token: Any) -> tuple[int, int]:
    """The name `token` heads, with the words before it that belong to it ("US military")."""
    first = token
    for child in token.lefts:
        if child.dep_ in _NAME_DEPS and child.pos_ == "PROPN":
            first = min(first, child, key=lambda t: t.i)
    return first.idx, token.idx + len(token.text)


def _place(verb: Any) -> tuple[int, int] | None:
    phrases = [
        c
        for c in verb.children
        if c.dep_ == "prep"
        and c.lower_ in _PLACE_PREPOSITIONS
        and not any(t.ent_type_ in _TIMES for t in c.subtree)
    ]
    if not phrases:
        return None
    first = phrases[0]
    last = max((t for p in phrases for t in p.subtree), key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)
