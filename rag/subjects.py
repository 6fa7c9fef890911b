"""The thing a sentence says is of the asked-for kind: "Which 1988 Telugu comedy had music by
M. M. Srilekha?" is answered by "Navvulata (English: Joke) is a 1998 Telugu comedy film ...":
the sentence's subject, named before "is a", with the question's noun ("comedy") after it.
The sentence states the kind itself, so the name is no guess."""

from __future__ import annotations

import re
from functools import lru_cache

from rag.nlp import parse
from rag.text import STOPWORDS, terms

_WHICH = re.compile(r"^\s*(?:which|what)\s+(?!(?:is|are|was|were|do|does|did)\b)\w", re.I)
# "Navvulata (English: Joke) is a ..." / "The Exies are an ...": a name of at most eight
# words (an aside in brackets or commas after it), then the copula and an article.
_NAMED_AS = re.compile(
    r"^(?P<name>[\"“]?[A-Z0-9][^,.;:()]{0,80}?)\s*(?:\([^()]*\)\s*)?,?\s+"
    r"(?:is|was|are|were)\s+(?:an?|the|one of the)\s+(?P<rest>[^.;]+)"
)
_KIND_WINDOW = 8  # words after the article that may hold the question's noun
_NAME_WORDS = 8
_PHRASE = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "DET", "CCONJ", "PUNCT"})
_GENERIC = frozenset({"kind", "type", "sort", "form", "name"})


@lru_cache(maxsize=256)
def asked_noun(question: str) -> str:
    """The noun a which/what question names its answer's kind with ("comedy" of "Which 1988
    Telugu comedy produced by ..."), as a term; "" when it has none."""
    if not _WHICH.match(question):
        return ""
    doc = parse(question)
    run = []
    for token in doc[1:]:  # the words after which/what, up to a verb, a preposition ...
        if token.pos_ not in _PHRASE:
            break
        run.append(token)
    nouns = [t for t in run if t.pos_ == "NOUN"] or [t for t in run if t.pos_ == "PROPN"]
    if not nouns:
        return ""
    head = nouns[-1]
    if head.lower_ in _GENERIC:  # "what kind of university": the noun after "of"
        of = next((child for child in head.children if child.lower_ == "of"), None)
        objects = [child for child in of.children if child.dep_ == "pobj"] if of else []
        if not objects:
            return ""
        head = objects[0]
    noun = terms(head.text)
    return noun[0] if len(noun) == 1 and noun[0] not in STOPWORDS else ""


def named_as(sentence: str, noun: str, asked: frozenset[str]) -> tuple[int, int] | None:
    """The span in `sentence` of the name it says is a `noun` (within a few words after
    "is a"), when that name is not made of the question's words; None otherwise."""
    match = _NAMED_AS.match(sentence)
    if match is None or not noun:
        return None
    name = match["name"].strip()
    own = set(terms(name))
    if not own or own <= asked or len(name.split()) > _NAME_WORDS:
        return None
    described = [term for word in match["rest"].split()[:_KIND_WINDOW] for term in terms(word)]
    if noun not in described:
        return None
    start = match.start("name")
    return start, start + len(match["name"].rstrip())
