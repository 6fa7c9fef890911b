"""Two-hop questions: "Who was the first president of the association which published the
Journal of Psychotherapy Integration?" describes the association instead of naming it. The
first search finds the passage naming it (the bridge); a second search asks the question with
the bridge in place of the description, and the answer cites both passages. No LLM: spaCy's
parse finds the description, its entities find the bridge."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rag.answer import Draft
from rag.comparison import compared, same_verdict
from rag.nlp import parse
from rag.text import clean_for_display, terms
from rag.ties import title_owner
from rag.types import Citation, Passage

MAX_HOPS = 3  # searches after the first, for descriptions nested in descriptions
# Nouns that stand for a person, organisation, place or work a question may describe instead
# of naming, with the entity labels (spaCy's) a bridge of that kind carries.
KINDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "person": (
        frozenset(
            "person man woman author writer director producer actor actress singer performer "
            "composer musician artist founder president leader ruler king queen emperor player "
            "coach creator father mother son daughter wife husband spouse brother sister "
            "sibling child editor designer architect painter poet novelist playwright owner "
            "chairman ceo vocalist guitarist drummer rapper narrator inventor scientist "
            "philosopher politician governor mayor senator minister lyricist screenwriter "
            "cricketer footballer winner recipient receiver holder champion star".split()
        ),
        frozenset({"PERSON"}),
    ),
    "organisation": (
        frozenset(
            "association organisation organization company band group team club university "
            "college school party publisher label network agency firm corporation "
            "institution institute brand manufacturer airline station channel newspaper "
            "magazine".split()
        ),
        frozenset({"ORG", "NORP"}),
    ),
    "place": (
        frozenset(
            "country city town state county province region area district place village "
            "island river birthplace capital nation continent location municipality "
            "territory colony venue stadium".split()
        ),
        frozenset({"GPE", "LOC", "FAC"}),
    ),
    "work": (
        frozenset(
            "film movie album song book novel series show journal play game episode single "
            "opera poem painting record".split()
        ),
        frozenset({"WORK_OF_ART", "ORG", "PRODUCT", "EVENT"}),
    ),
}
_KIND_OF = {noun: kind for kind, (nouns, _) in KINDS.items() for noun in nouns}
_NOUNS = "|".join(sorted(_KIND_OF, key=len, reverse=True))
# Cheap test before any parse: a described noun ("the author of", "Kenji's birthplace").
_MAY_DESCRIBE = re.compile(
    rf"\b(?:the|\w+['’]s?)\s+(?:[\w-]+\s+){{0,2}}?(?:{_NOUNS})s?\b", re.IGNORECASE
)
_WORD = re.compile(r"\b[a-z]+\b")
_LINKS = frozenset({"relcl", "acl", "prep", "poss"})
_WH = frozenset({"who", "what", "which", "whom"})
_WH_WORDS = frozenset({"who", "whom", "whose", "what", "which", "when", "where", "why", "how"})
_FILLER = frozenset(terms("what which who whom when where why how kind type year"))
_QUOTED = re.compile(r"[\"“]([^\"”]{2,80})[\"”]")


@dataclass(frozen=True)
class Description:
    """A noun phrase of the question that describes what it needs resolved."""

    start: int  # character span in the question
    end: int
    kind: str  # a key of KINDS

    def in_question(self, question: str) -> str:
        return question[self.start : self.end]


@dataclass(frozen=True)
class Hop:
    """One search after the first: the description searched for, the bridge its answer named
    and the citation of the sentence naming it."""

    search: str
    bridge: str
    naming: Citation


def description(question: str, names: frozenset[str] = frozenset()) -> Description | None:
    """The innermost description of a person, organisation, place or work the question needs
    resolved ("the association which published X", "Kenji's birthplace"), or None. Not a
    description: a phrase the question asks about ("Who is Anthropic's CEO?"), one holding
    the question word ("the show which was written by who"), a role ("resigned as the
    president of Israel"), a phrase that names its thing ("the band Porcupine Tree"), and a
    phrase that is the whole question. `names`: words typed in lower case that the
    documents write as names."""
    if not _MAY_DESCRIBE.search(question):
        return None
    doc = parse(_names_capitalised(question, names))
    found = []
    for token in doc:
        if token.lemma_.lower() not in _KIND_OF or token.pos_ != "NOUN" or token.dep_ == "ROOT":
            continue
        if not _described(token) or _asked_about(token) or _names_itself(token):
            continue
        words = _phrase(token)
        if token.head.lower_ == "as" or any(_asks(word) for word in words):
            continue
        for kept in (words, _to_first_name(words, token)):  # a parse may run on too far
            start, end = kept[0].idx, kept[-1].idx + len(kept[-1].text)
            if question[start:end].count('"') % 2 and question[end : end + 1] == '"':
                end += 1  # the title a phrase ends on keeps its closing quote
            if set(terms(question[:start] + question[end:])) - _FILLER:
                kind = _KIND_OF[token.lemma_.lower()]
                found.append((len(kept), Description(start, end, kind)))
                break
    return min(found, key=lambda item: item[0])[1] if found else None


def _names_capitalised(question: str, names: frozenset[str]) -> str:
    """The question with the words the documents write only as names capitalised ("what did
    anthropic's ceo write ...?"): the parser reads "anthropic" as a name only so."""
    return _WORD.sub(lambda word: word[0].capitalize() if word[0] in names else word[0], question)


def _to_first_name(words: list[Any], head: Any) -> list[Any]:
    """The phrase up to the end of the first name after its noun ("the country that produced
    Fist Power", not "... taken by the British"), for when the parse took in the rest of the
    question."""
    for n, word in enumerate(words):
        if word.i > head.i and word.pos_ == "PROPN" and word.text[:1].isupper():
            following = words[n + 1] if n + 1 < len(words) else None
            if following is None or following.pos_ != "PROPN":
                return words[: n + 1]
    return words


def _phrase(token: Any) -> list[Any]:
    """The words of the noun phrase `token` heads: its determiners, modifiers and possessor,
    and the clauses and phrases tying it to a name; not an apposition or a bare participle
    ("located", "attend") trailing it."""
    kept = [token]
    for child in token.children:
        bare = child.dep_ in ("relcl", "acl") and not any(
            grandchild.dep_ not in ("aux", "auxpass", "punct", "neg")
            for grandchild in child.children
        )
        if child.i < token.i or (child.dep_ in _LINKS and not bare):
            kept += list(child.subtree)
    kept.sort(key=lambda word: word.i)
    first, last = kept[0].i, kept[-1].i
    while last > first and kept[-1].is_punct:  # a phrase never ends on its comma
        kept.pop()
        last = kept[-1].i
    return list(token.doc[first : last + 1])


def _asks(word: Any) -> bool:
    """A question word inside a phrase ("written by who"), not one opening a relative clause
    ("the city where ...", "the actor who ...")."""
    return word.lower_ in _WH_WORDS and word.i != word.head.left_edge.i


def _names_itself(token: Any) -> bool:
    """ "the band Porcupine Tree", "the show "Scaredy Squirrel"": the name follows the noun."""
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return following is not None and (following.pos_ == "PROPN" or following.text in '"“')


def _described(token: Any) -> bool:
    """Determined by "the" or a possessive, and tied by a clause, a phrase or a possessive to
    something named (a capitalised proper noun) that the first search can find."""
    determined = any(
        (child.dep_ == "det" and child.lower_ == "the") or child.dep_ == "poss"
        for child in token.children
    )
    linked = [child for child in token.children if child.dep_ in _LINKS]
    named = any(
        (word.pos_ == "PROPN" or word.ent_type_) and word.text[:1].isupper()
        for link in linked
        for word in link.subtree
    )
    return determined and named


def _asked_about(token: Any) -> bool:
    """The phrase is what a "who/what is ..." question asks for."""
    head = token.head
    return (
        token.dep_ in ("attr", "nsubj", "nsubjpass")
        and head.lemma_ == "be"
        and any(child.lower_ in _WH for child in head.children if child.i != token.i)
    )


def bridge(draft: Draft, described: str, kind: str) -> tuple[str, Citation] | None:
    """The entity of the described kind that the draft's lead citation names and the
    description does not, with that citation; one the text gives the described title
    ("Anthropic's CEO, Dario Amodei" for "Anthropic's CEO", not the "Pete Hegseth" who met
    him) first, then one whose name holds the described noun ("the county" → "McDowell
    County"), else the first one; None when there is none."""
    if draft.abstained or not draft.citations:
        return None
    naming = draft.citations[0]
    text = clean_for_display(naming.quote)
    asked = set(terms(described))
    labels = KINDS[kind][1]
    found = [entity for entity in parse(text).ents if entity.label_ in labels]
    titled = [
        entity.text.strip(" ,.;:'’\"")
        for entity in found
        if (owned := title_owner(text, entity.start_char, entity.end_char)) is not None
        and set(terms(" ".join(owned))) <= asked
    ]
    names = [entity.text for entity in found]
    if kind == "work":
        names = _QUOTED.findall(text) + names
    candidates = []
    for name in names:
        name = name.strip(" ,.;:'’\"")
        if name.lower().startswith("the "):
            name = name[4:]
        own = set(terms(name))
        if own and not own <= asked:
            candidates.append(name)
    nouns = set(terms(" ".join(KINDS[kind][0]))) & asked
    holding = [name for name in candidates if set(terms(name)) & nouns]
    chosen = [name for name in titled if name in candidates] or holding or candidates
    return (chosen[0], naming) if chosen else None


Ask = Callable[[str], tuple[list[Passage], Draft]]  # search, then answer from what it found


@dataclass(frozen=True)
class HopAnswer:
    """A two-hop answer: the composed draft, the passages the later searches found (each
    citation's among them) and those searches, in order."""

    draft: Draft
    passages: list[Passage]
    searches: list[str]


def answer_in_hops(
    question: str, ask: Ask, names: frozenset[str] = frozenset()
) -> HopAnswer | None:
    """A comparison of two named things is answered for each of them; otherwise the
    question's descriptions are resolved one search at a time (innermost first, at most
    MAX_HOPS), then the question they resolve to is answered. None when it compares and
    describes nothing, a bridge is not found, or a search finds no answer. `names`: words
    typed in lower case that the documents write as names ("anthropic")."""
    pair = compared(question)
    if pair is not None:
        return _answer_each(question, pair, ask)
    hops: list[Hop] = []
    found: list[Passage] = []
    current = question
    for _ in range(MAX_HOPS):
        described = description(current, names)
        if described is None:
            break
        phrase = described.in_question(current)
        passages, draft = ask(phrase)
        named = bridge(draft, phrase, described.kind)
        if named is None:
            break
        name, naming = named
        current = current[: described.start] + name + current[described.end :]
        hops.append(Hop(phrase, name, naming))
        found += [p for p in passages if p.chunk_id == naming.chunk_id or _holds(p, naming)]
    if not hops:
        return None
    passages, draft = ask(current)
    if draft.abstained:
        return None
    searches = [hop.search for hop in hops] + [current]
    return HopAnswer(compose(draft, hops), merged(found, passages), searches)


def _answer_each(
    question: str, pair: tuple[tuple[int, int], list[str]], ask: Ask
) -> HopAnswer | None:
    """The question asked of each compared name, and the lead of each answer, cited; a
    same-place question leads with its verdict when both leads name their place."""
    (start, end), names = pair
    searches = [question[:start] + name + question[end:] for name in names]
    citations: list[Citation] = []
    parts: list[str] = []
    passages: list[Passage] = []
    support = 1.0
    for search in searches:
        found, draft = ask(search)
        if draft.abstained or not draft.citations:
            return None
        lead = draft.citations[0].model_copy(update={"n": len(citations) + 1})
        citations.append(lead)
        parts.append(f"{clean_for_display(lead.quote)} [{lead.n}]")
        passages += [p for p in found if _holds(p, lead)]
        support = min(support, draft.support)
    short = same_verdict(question, names, citations)
    if short is not None:
        parts.insert(0, f"{short.text}. {''.join(f'[{c.n}]' for c in citations)}")
    return HopAnswer(Draft(" ".join(parts), citations, False, support, short), passages, searches)


def _holds(passage: Passage, citation: Citation) -> bool:
    return (
        passage.source == citation.source
        and passage.start_char <= citation.start_char
        and citation.end_char <= passage.end_char
    )


def compose(answer: Draft, hops: list[Hop]) -> Draft:
    """The answer to the last search (its short answer leading), then each sentence that
    named a bridge (last hop first), each cited: the reader sees the answer and how it was
    reached."""
    citations = list(answer.citations)
    parts = [answer.answer]
    for hop in reversed(hops):
        same = next(
            (
                c
                for c in citations
                if (c.source, c.start_char, c.end_char)
                == (hop.naming.source, hop.naming.start_char, hop.naming.end_char)
            ),
            None,
        )
        if same is not None:  # the answer already quotes it
            continue
        cited = hop.naming.model_copy(update={"n": len(citations) + 1})
        citations.append(cited)
        parts.append(f"{clean_for_display(cited.quote)} [{cited.n}]")
    return Draft(" ".join(parts), citations, answer.abstained, answer.support, answer.short_answer)


def merged(first: list[Passage], later: list[Passage]) -> list[Passage]:
    """The first search's passages, then the later searches' that add text."""
    seen = {(p.source, p.start_char, p.end_char) for p in first}
    extra = [p for p in later if (p.source, p.start_char, p.end_char) not in seen]
    return first + extra
