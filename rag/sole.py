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


def only_first(question: str, ranked: list[Candidate]) -> Candidate | None:
    """The first of the best few candidates saying "only" (or "sole") when the question asks
    whether something is the only one, scoring at least `_NEAR` of the best; else None."""
    if not ranked or not _ONLY_ASKED.search(question):
        return None
    for candidate in ranked[1:_READ]:
        if candidate.score < _NEAR * ranked[0].score:
            break
        if _SAYS_ONLY.search(candidate.outline.unit_text(candidate.index)):
            best = ranked[0].outline.unit_text(ranked[0].index)
            return None if _SAYS_ONLY.search(best) else candidate
    return None
