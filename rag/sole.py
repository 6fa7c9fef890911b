""" "Is Anthropic the only lab working on classified systems?": the sentence saying who is
the only one (or that others did the same) decides it ("only" is a stop word, so no score
sees it), when it is among the best few and scores nearly the best."""

from __future__ import annotations

import re

from rag.outline import Candidate
from rag.text import terms

_ONLY_ASKED = re.compile(
    r"\b(?:the|its|their|his|her)\s+only\b|\bthe\s+(?:sole|lone)\b|\bonly\s+one\b", re.I
)
_SAYS_ONLY = re.compile(r"(?<!not )\b(?:only|sole|lone|alone|exclusively)\b", re.IGNORECASE)
_READ = 3  # best candidates looked at
_NEAR = 0.9  # share of the best score the sentence saying "only" must have
# "is it just trump?", "only the trump campaign?": whether one alone is meant; a sentence
# saying it is not just that one ("Anthropic didn't just ban Trump", "They ban everyone"),
# whose name (here or not) is no topic word
JUST_ASKED = re.compile(  # "is it just trump?", "is anthropic banning only republicans, then?";
    # not "did anthropic just sign a deal?" ("just" as "recently"), "is it the only ai lab?"
    r"(?:^\W*(?:so\s+|and\s+|but\s+)?|[?,]\s*|\b(?:is|was|are|were)\s+(?:it|this|that|they)\s+"
    r"|\bit['’]?s\s+|\b(?:ban|bans|banned|banning|block|blocks|blocked|blocking|target|targets"
    r"|targeted|targeting)\s+)(?:just|only)\s+"
    r"(?P<who>(?!(?:a|an|one|some)\b)(?!\w+(?:ed|ing)\b)(?:the\s+)?[\w'’.-]+(?:\s+[\w'’.-]+){0,2}?)"
    r"(?:\s+or\s+(?:everyone|everybody|all|any\w*|others?|(?:the\s+)?other\s+\w+))?"
    r"(?:,?\s+(?:then|tho|though))?\s*\??\s*$",
    re.IGNORECASE,
)
SAYS_NOT_JUST = re.compile(
    r"\b(?:not|n['’]t)\s+(?:just|only)\b|\b(?:everyone|everybody|all\s+users|any\s+user)\b",
    re.IGNORECASE,
)
_JUST_READ = 8
_JUST_NEAR = 0.6
# "was anthropic the only one with a pentagon deal?": "Google, OpenAI, and xAI signed similar
# deals ..., but Anthropic is the only AI company currently working with classified systems"
# says others did too in the clause that holds what was asked ("deal"), not in its "only" one
_OTHERS_TOO = re.compile(r"\b(?:similar|also|likewise|as\s+well)\b", re.IGNORECASE)
_CLAUSES = re.compile(r",?\s+\b(?:but|while|whereas|although|though)\b\s+|;\s*", re.IGNORECASE)
_OTHERS_READ = 12
_SUBJECT = re.compile(
    r"\b(?:is|was|are|were|so)\s+(?P<who>[\w'’.-]+(?:\s+[\w'’.-]+){0,2}?)\s+(?:is\s+|was\s+|are\s+"
    r"|were\s+)?(?:the\s+(?:only|sole|lone)|only\s+one)\b",
    re.IGNORECASE,
)


def others_too(question: str, text: str) -> bool:
    """Whether `text` answers "is X the only one ...?" No: a clause of it saying others did
    something similar holds a word asked that no clause of it saying "only" holds (that one
    is about something else)."""
    if not _ONLY_ASKED.search(question):
        return False
    asked = set(terms(_ONLY_ASKED.sub(" ", question)))
    subject = _SUBJECT.search(question)  # "was anthropic the only one ...?": "anthropic";
    who = set(terms(subject["who"])) if subject else set()  # "Anthropic also signed ..."
    similar: set[str] = set()  # says Anthropic did more, not that others did the same
    only: set[str] = set()
    for clause in _CLAUSES.split(text):
        words = set(terms(clause)) & asked
        if _OTHERS_TOO.search(clause) and not words & who:
            similar |= words
        if _SAYS_ONLY.search(clause):
            only |= words
    return bool(similar - only)


def only_first(question: str, ranked: list[Candidate]) -> Candidate | None:
    """The first of the best few candidates saying "only" (or "sole") when the question asks
    whether something is the only one, scoring at least `_NEAR` of the best (first, down to
    `_JUST_NEAR`, one saying others did the same: `others_too`), or saying it is not just
    the one when asked "just X?"; else None."""
    if ranked and JUST_ASKED.search(question):
        for candidate in ranked[:_JUST_READ]:
            if candidate.score < _JUST_NEAR * ranked[0].score:
                break
            if SAYS_NOT_JUST.search(candidate.outline.unit_text(candidate.index)):
                return None if candidate is ranked[0] else candidate
    if not ranked or not _ONLY_ASKED.search(question):
        return None
    for candidate in ranked[1:_OTHERS_READ]:
        if candidate.score < _JUST_NEAR * ranked[0].score:
            break
        if others_too(question, candidate.outline.unit_text(candidate.index)):
            return candidate
    for candidate in ranked[1:_READ]:
        if candidate.score < _NEAR * ranked[0].score:
            break
        if _SAYS_ONLY.search(candidate.outline.unit_text(candidate.index)):
            best = ranked[0].outline.unit_text(ranked[0].index)
            return None if _SAYS_ONLY.search(best) else candidate
    return None
