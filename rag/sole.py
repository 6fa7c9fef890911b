""" "Is Anthropic the only lab working on classified systems?": the sentence saying who is
the only one decides it ("only" is a stop word, so no score sees it), when it is among the
best few and scores nearly the best."""

from __future__ import annotations

import re

from rag.outline import Candidate

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


def only_first(question: str, ranked: list[Candidate]) -> Candidate | None:
    """The first of the best few candidates saying "only" (or "sole") when the question asks
    whether something is the only one, scoring at least `_NEAR` of the best, or saying it is
    not just the one when asked "just X?"; else None."""
    if ranked and JUST_ASKED.search(question):
        for candidate in ranked[:_JUST_READ]:
            if candidate.score < _JUST_NEAR * ranked[0].score:
                break
            if SAYS_NOT_JUST.search(candidate.outline.unit_text(candidate.index)):
                return None if candidate is ranked[0] else candidate
    if not ranked or not _ONLY_ASKED.search(question):
        return None
    for candidate in ranked[1:_READ]:
        if candidate.score < _NEAR * ranked[0].score:
            break
        if _SAYS_ONLY.search(candidate.outline.unit_text(candidate.index)):
            best = ranked[0].outline.unit_text(ranked[0].index)
            return None if _SAYS_ONLY.search(best) else candidate
    return None
