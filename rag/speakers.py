"""Who a "what did X say / write / call ...?" question asks about: the answer is X's words,
so a lead must name X (not what someone else said)."""

from __future__ import annotations

import re
from functools import lru_cache

from rag.lemmas import is_english
from rag.text import terms

# "What did <speaker> say / write / call / think ...?": the answer is the speaker's words.
_SPEAKER = re.compile(
    r"^\s*what\s+(?:did|does|do|has|have|had)\s+((?:(?!\b(?:that|which|who)\b).){2,60}?)\s+"
    r"(?:say|said|saying|write|wrote|written|tell|told|telling|argue|argued|claim|claimed|warn"
    r"|warned|call|called|calling|post|posted|tweet|tweeted|announce|announced|reply|replied"
    r"|answer|answered|respond|responded|think|thought|believe|believed|feel|felt)\b",
    re.IGNORECASE,
)
_TYPO_LENGTH = 5  # a shorter name's swapped letters may spell another name
_NOT_SPEAKERS = frozenset(terms("article document text page report story author writer piece"))
# Two capitalised words side by side on one line ("Dario Amodei"), read overlapping ("Pete
# Hegseth" in "Secretary Pete Hegseth"); a dictionary word ("Secretary", "Says" of a
# headline) is no half of a name
_NAME_PAIR = re.compile(r"(?=\b([A-Z][a-z][\w'’-]*) +([A-Z][a-z][\w'’-]*)\b)")
_CAPITALISED = re.compile(r"\b[A-Z][a-z][\w'’-]{3,}")


@lru_cache(maxsize=256)
def speaker_terms(question: str) -> frozenset[str]:
    """The terms naming who a "what did X say / write / call ...?" question asks about
    ("Dario Amodei" -> dario, amodei; "the OpenAI boss" -> openai, boss); empty for any other
    question, or when X is the document itself ("what does the article say ...")."""
    match = _SPEAKER.match(question)
    if not match:
        return frozenset()
    said_by = frozenset(terms(match[1]))
    return frozenset() if said_by & _NOT_SPEAKERS else said_by


@lru_cache(maxsize=256)
def named_in(said_by: frozenset[str], text: str) -> frozenset[str]:
    """A speaker asked for by one name and the other half of their full name as the page
    writes it: "what did dario write ...?" is answered by what "Amodei wrote" on a page
    naming "Dario Amodei"."""
    if len(said_by) != 1:
        return said_by
    names = set(said_by)
    for first, second in _NAME_PAIR.findall(text):
        pair = frozenset(terms(f"{first} {second}"))
        english = is_english(first.lower()) or is_english(second.lower())
        if len(pair) == 2 and pair & said_by and not english:
            names |= pair
    long_names = [name for name in names if len(name) >= _TYPO_LENGTH]
    for word in {match.lower() for match in _CAPITALISED.findall(text)}:
        if not is_english(word) and any(_one_slip(word, name) for name in long_names):
            names.update(terms(word))  # the page's "Amoedi penned" for its "Amodei wrote"
    return frozenset(names)


def _one_slip(word: str, name: str) -> bool:
    """The word is the name with two neighbouring letters swapped, as typed in a hurry."""
    if len(word) != len(name) or word == name:
        return False
    diff = [i for i, (a, b) in enumerate(zip(word, name, strict=True)) if a != b]
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and word[diff[0]] == name[diff[1]]
        and word[diff[1]] == name[diff[0]]
    )
